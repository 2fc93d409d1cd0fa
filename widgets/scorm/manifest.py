"""``imsmanifest.xml`` for a one-page SCORM 1.2 package (IMS Content Packaging 1.1.2 + ADL SCORM 1.2).

One organisation, one item, one resource: the chapter is a single SCO (``adlcp:scormtype="sco"``)
launched by ``index.html``, and every file of the package is listed as a file of that resource, so an
LMS that copies only listed files (or checks them) gets the whole module.

The schema files (``imscp_rootv1p1p2.xsd``…) are not shipped: the manifest names its namespaces and its
schema version (« ADL SCORM », « 1.2 »), which is what LMSs read (Moodle, and scorm-again in the tests),
and the XSD files come from ADL and IMS with licences of their own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NAMESPACES = {"": IMSCP, "adlcp": ADLCP}


def manifest_xml(identifier: str, title: str, launch: str, files: list[str]) -> bytes:
    """The manifest's bytes (UTF-8, with its XML declaration); ``files`` are the package's other files."""
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(f"{{{IMSCP}}}manifest", {"identifier": identifier, "version": "1.0"})
    metadata = ET.SubElement(root, f"{{{IMSCP}}}metadata")
    ET.SubElement(metadata, f"{{{IMSCP}}}schema").text = "ADL SCORM"
    ET.SubElement(metadata, f"{{{IMSCP}}}schemaversion").text = "1.2"
    organizations = ET.SubElement(root, f"{{{IMSCP}}}organizations", {"default": f"{identifier}-org"})
    organization = ET.SubElement(organizations, f"{{{IMSCP}}}organization", {"identifier": f"{identifier}-org"})
    ET.SubElement(organization, f"{{{IMSCP}}}title").text = title
    item = ET.SubElement(
        organization,
        f"{{{IMSCP}}}item",
        {"identifier": f"{identifier}-item", "identifierref": f"{identifier}-sco", "isvisible": "true"},
    )
    ET.SubElement(item, f"{{{IMSCP}}}title").text = title
    resources = ET.SubElement(root, f"{{{IMSCP}}}resources")
    resource = ET.SubElement(
        resources,
        f"{{{IMSCP}}}resource",
        {"identifier": f"{identifier}-sco", "type": "webcontent", f"{{{ADLCP}}}scormtype": "sco", "href": launch},
    )
    for name in [launch, *[f for f in files if f != launch]]:
        ET.SubElement(resource, f"{{{IMSCP}}}file", {"href": name})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
