# « Faire avec » — deux commandes : `make serve` (lancer le cours) et `make test` (tout vérifier).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# What is installed, by role (docs/installer-et-tester.md, « Les paquets par rôle ») : each lock is
# installed once, a stamp remembers it. make serve: runtime; make hub: + JupyterHub; make test: all.
STAMP := $(VENV)/.installed
HUB_STAMP := $(VENV)/.installed-hub
DEV_STAMP := $(VENV)/.installed-dev
CHAPTERS := $(wildcard chapters/[0-9]*.md)
EXERCISES := $(wildcard chapters/exercices/*.ipynb)
# Copies .ipynb des chapitres pour nbval (qui ne lit que des .ipynb) ; _build/ est ignoré par git.
NBVAL_DIR := _build/nbval
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: install install-dev check lock lint warm book serve droit test test-suite test-unit test-notebooks test-book test-browser linkcheck bench clean test-security test-deploy hub

# $(call install_lock,LOCK): the venv (made with Python 3.11 if needed), then LOCK with its hashes
define install_lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 est introuvable : installez-le (sudo apt install python3 python3-venv)."; exit 1; }
	@$(PYTHON) -c "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))" 2>/dev/null || { \
	  echo "Il faut Python 3.11 ou plus avec le module venv : sudo apt install python3-venv"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# Le verrou : chaque paquet à sa version exacte, vérifié par son empreinte (docs/installer-et-tester.md).
	set -o pipefail; $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(1) 2>&1 | { grep -v "^WARNING: Location" || true; }
	@# Le paquet widgets/ est importé depuis le dépôt (un fichier .pth, comme « pip install -e . », sans construction).
	$(BIN)/python -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], 'faire_avec.pth').write_text('$(CURDIR)\\n')"
	touch $@
endef

## Ce qu'il faut pour lancer le cours (make serve, le livre, le simulateur) : requirements.lock
$(STAMP): requirements.lock pyproject.toml
	$(call install_lock,requirements.lock)

## En plus, JupyterHub (make hub) : requirements-hub.lock
$(HUB_STAMP): requirements-hub.lock pyproject.toml
	$(call install_lock,requirements-hub.lock)

## Tout, tests et outils de développement compris (make test, make lint, make lock) : requirements-dev.lock
$(DEV_STAMP): requirements-dev.lock pyproject.toml
	$(call install_lock,requirements-dev.lock)

install: $(STAMP)

install-dev: $(DEV_STAMP)

## Le livre HTML : glossaire régénéré depuis data/, chapitres exécutés (cache dans _build/.jupyter_cache)
book: $(STAMP)
	$(BIN)/python -m widgets.glossary
	$(BIN)/python -m widgets.book build . --warningiserror --keep-going --quiet

## Prépare une fois pour toutes les calculs OpenFisca des cas types du simulateur (cache dans .cache/)
warm: $(STAMP)
	$(BIN)/python -m widgets.remuneration.cache

## Après une mise à jour d'OpenFisca-France : quels chiffres du droit (data/droit.yml) ont changé, et où ils servent
## (TOUT=1 : où sert chaque chiffre)
droit: $(STAMP)
	$(BIN)/python -m widgets.droit_openfisca $(if $(TOUT),--tout)

## Plusieurs salles sur une machine : JupyterHub, un Voilà par participant·e (deploy/jupyterhub, adresse affichée)
hub: $(HUB_STAMP)
	@$(BIN)/python deploy/jupyterhub/start.py

## Lance le livre et les exercices en direct sur 127.0.0.1 (Ctrl-C pour arrêter)
## (vérifie d'abord les ports, puis construit le livre et prépare le simulateur avec des messages en français)
serve: $(STAMP)
	@$(BIN)/python -m widgets.serve --build

## Style et types : ruff (lint + format) et mypy, avec la configuration de pyproject.toml
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy

## La vérification rapide après avoir modifié data/ ou chapters/ (moins d'une minute ; voir CONTRIBUTING.md)
check: $(DEV_STAMP)
	@$(BIN)/python tests/check.py

## Toute la suite de tests (≈ 10 min sur 2 cœurs, docs/installer-et-tester.md) : le style, les notebooks et
## le livre en même temps, puis tous les tests pytest en un seul passage sur $(WORKERS) processus ;
## chaque étape puis le total disent leur durée.
test: $(DEV_STAMP)
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory -j3 --output-sync=target timed-lint timed-test-notebooks timed-test-book \
	  && $(MAKE) --no-print-directory timed-test-suite; status=$$?; \
	if [ $$status -eq 0 ]; then $(call took,make test : tout est passé en,$$start); \
	else $(call took,make test : échec après,$$start); fi; exit $$status

# Processus de pytest-xdist pour les tests (un Voilà, un Chromium et un serveur du livre chacun).
WORKERS ?= 2
# $(call took,TEXT,START): prints « ⏱ TEXT 2 min 05 s », the time since START (seconds since the epoch).
took = s=$$(( $$(date +%s) - $(2) )); printf '⏱ %s %d min %02d s\n' "$(1)" $$((s / 60)) $$((s % 60))

# timed-X: make X, then how long it took (make test's stages).
timed-%:
	@start=$$(date +%s); $(MAKE) --no-print-directory $*; status=$$?; \
	if [ $$status -eq 0 ]; then $(call took,étape $* :,$$start); else $(call took,étape $* : échec après,$$start); fi; \
	exit $$status

## Tous les tests pytest en un passage, sur $(WORKERS) processus : les groupes longs (déploiement, sécurité,
## un module qui démarre un serveur) d'abord, les milliers de tests courts ensuite remplissent les trous.
test-suite: $(DEV_STAMP) warm
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --durations=15 -q \
	  tests/deploy tests/security tests/browser tests/unit tests/content

test-unit: $(DEV_STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup tests/unit tests/content -q

## Chaque notebook (chapitres convertis par jupytext, exercices) s'exécute sans erreur
test-notebooks: $(DEV_STAMP)
	rm -rf $(NBVAL_DIR) && mkdir -p $(NBVAL_DIR)
	for md in $(CHAPTERS); do $(BIN)/jupytext --quiet --to ipynb --output $(NBVAL_DIR)/$$(basename $$md .md).ipynb $$md || exit 1; done
	$(BIN)/python -m pytest --nbval-lax $(NBVAL_DIR)/*.ipynb $(EXERCISES) -q

## Le livre depuis une page blanche (le cache d'exécution des chapitres est gardé), puis ses liens internes
test-book: $(DEV_STAMP)
	$(BIN)/python -m widgets.glossary --check
	rm -rf _build/html
	$(BIN)/python -m widgets.book build . --warningiserror --keep-going --quiet
	$(BIN)/python tests/content/book_links.py _build/html

test-browser: $(DEV_STAMP) warm
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup tests/browser -q

## Sondes de sécurité contre le cours lancé comme make serve (fichiers, code, traces, en-têtes, adresses)
test-security: $(DEV_STAMP)
	$(BIN)/python -m pytest tests/security -q

## Déploiements : JupyterHub avec plusieurs participant·es simulé·es (≈ 1 min 30), valeurs Kubernetes et Dockerfile
test-deploy: $(DEV_STAMP)
	$(BIN)/python -m pytest tests/deploy -q

## Vérifie les adresses externes du livre (il faut une connexion ; pas lancé par make test ni la CI)
linkcheck: $(STAMP)
	$(BIN)/python -m widgets.book build . --builder custom --custom-builder linkcheck --quiet
	@echo "Rapport : _build/linkcheck/output.txt"

## Mesures (affichage des exercices froid/préchauffé, 30 personnes à la fois avec et sans calcul partagé, profil téléphone des deux faces) : imprime des chiffres, ne teste rien (≈ 45 min)
bench: $(DEV_STAMP) warm
	$(BIN)/python bench/time_to_widgets.py --runs 2
	$(BIN)/python bench/bench_load.py --learners 30
	$(BIN)/python bench/bench_load.py --learners 30 --calcul local
	$(BIN)/python bench/bench_phone.py

## Refait les verrous depuis les fichiers requirements*.txt (en ligne, pour un·e mainteneur·euse) :
## d'abord le plus complet (développement), puis chaque rôle contraint par lui, pour que les versions
## soient les mêmes partout. Une version déjà verrouillée ne bouge pas tant qu'un .txt ne la change pas.
LOCK_COMPILE = env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet --generate-hashes \
  --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(DEV_STAMP)
	$(LOCK_COMPILE) --output-file requirements-dev.lock requirements-dev.txt
	$(LOCK_COMPILE) --constraint requirements-dev.lock --output-file requirements.lock requirements.txt
	$(LOCK_COMPILE) --constraint requirements-dev.lock --output-file requirements-hub.lock requirements-hub.txt
	$(LOCK_COMPILE) --constraint requirements-dev.lock --output-file requirements-test.lock requirements-test.txt

clean:
	rm -rf _build

## Le kit du formateur et de la formatrice (tout va dans _build/kit/, voir README « Le kit du formateur »)
.PHONY: kit print cards slides
## Tout le kit : supports imprimés des chapitres, cartes, plans, questionnaires, diapositives
kit: book
	$(BIN)/python -m widgets.kit tout
## Pour chaque chapitre, le support participant et la version formateur (à partir du livre construit)
print: book
	$(BIN)/python -m widgets.kit supports
## Les cartes à imprimer, les plans des séances prêtes et leurs questionnaires de fin de séance
cards: $(STAMP)
	$(BIN)/python -m widgets.kit cartes
## Une présentation par chapitre pour le vidéoprojecteur (un fichier qui marche sans connexion)
slides: $(STAMP)
	$(BIN)/python -m widgets.kit diapos

## Un paquet SCORM 1.2 par chapitre pour Moodle ou une autre plateforme (_build/scorm/NN-nom.zip, voir docs/moodle.md)
.PHONY: scorm
scorm: $(STAMP)
	$(BIN)/python -m widgets.scorm
