-- A group-mode database as the course made it until December 2026 (schema 1), for the migration tests.
-- The tables are the statements of widgets/salle/store.py at commit 14b4e40, word for word, except the
-- identity column, the one difference between SQLite and PostgreSQL (filled in by the test, as are the
-- times and the hash of the trainer's key). The rows are what a morning's session leaves: two phones,
-- a statement shown to the group, then reworded and voted again. No semicolon in these comments: the
-- test splits the file into statements on them.
CREATE TABLE IF NOT EXISTS salle_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS salle_sessions (
    code TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    closed_at DOUBLE PRECISION,
    version BIGINT NOT NULL DEFAULT 0,
    current_round BIGINT,
    next_participant INTEGER NOT NULL DEFAULT 1,
    next_round INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS salle_participants (
    session_code TEXT NOT NULL REFERENCES salle_sessions (code) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (session_code, token_hash),
    UNIQUE (session_code, number)
);
CREATE TABLE IF NOT EXISTS salle_rounds (
    id {identity},
    session_code TEXT NOT NULL REFERENCES salle_sessions (code) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    activity TEXT NOT NULL,
    scale TEXT NOT NULL,
    question TEXT NOT NULL,
    choices TEXT NOT NULL,
    items TEXT NOT NULL,
    tag TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    parent_id BIGINT,
    created_at DOUBLE PRECISION NOT NULL,
    UNIQUE (session_code, number)
);
CREATE TABLE IF NOT EXISTS salle_votes (
    round_id BIGINT NOT NULL REFERENCES salle_rounds (id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    participant INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (round_id, item, participant)
);
CREATE INDEX IF NOT EXISTS salle_rounds_session ON salle_rounds (session_code);
CREATE INDEX IF NOT EXISTS salle_sessions_expiry ON salle_sessions (expires_at);
INSERT INTO salle_meta (key, value) VALUES ('schema', '1');
INSERT INTO salle_meta (key, value) VALUES ('adresse_participants', 'http://192.168.1.12:8765/');
INSERT INTO salle_sessions (code, secret_hash, created_at, expires_at, closed_at, version, current_round, next_participant, next_round)
  VALUES ('482913', '{secret_hash}', {now}, {expires}, NULL, 9, NULL, 3, 3);
INSERT INTO salle_rounds (session_code, number, activity, scale, question, choices, items, tag, state, parent_id, created_at)
  VALUES ('482913', 1, 'abaque', 'abaque', 'Il faut un diplôme pour être pair.',
          'abaque-vert-fonce,abaque-vert-clair,abaque-jaune,abaque-rose,abaque-rouge,abaque-blanc', '', '', 'revele', NULL, {now});
INSERT INTO salle_rounds (session_code, number, activity, scale, question, choices, items, tag, state, parent_id, created_at)
  SELECT '482913', 2, 'abaque', 'abaque', 'Il faut une formation pour être pair.',
         'abaque-vert-fonce,abaque-vert-clair,abaque-jaune,abaque-rose,abaque-rouge,abaque-blanc', '', '', 'vote', id, {now}
  FROM salle_rounds WHERE session_code = '482913' AND number = 1;
UPDATE salle_sessions SET current_round = (SELECT id FROM salle_rounds WHERE session_code = '482913' AND number = 2)
  WHERE code = '482913';
INSERT INTO salle_participants (session_code, token_hash, number)
  VALUES ('482913', '3f0c1d1b7a1e4c6a8d2b5e9f0a1c3e5d7b9f1a3c5e7d9b1f3a5c7e9d1b3f5a7c', 1);
INSERT INTO salle_participants (session_code, token_hash, number)
  VALUES ('482913', '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b', 2);
INSERT INTO salle_votes (round_id, item, participant, value)
  SELECT id, '', 1, 'abaque-rouge' FROM salle_rounds WHERE session_code = '482913' AND number = 1;
INSERT INTO salle_votes (round_id, item, participant, value)
  SELECT id, '', 2, 'abaque-rose' FROM salle_rounds WHERE session_code = '482913' AND number = 1;
INSERT INTO salle_votes (round_id, item, participant, value)
  SELECT id, '', 1, 'abaque-vert-clair' FROM salle_rounds WHERE session_code = '482913' AND number = 2;
