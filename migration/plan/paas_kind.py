"""What platform service a server's installed software suggests, and its SQL Server licence.

Matching is per installed product on word boundaries, so a vendor word inside another product's
name ("SQL Server Express" in MySQL's, "Apache" in Apache Solr) never decides the service.
A module of its own: sizing groups servers by it, and the on-premise cost asks for the SQL
Server edition without needing the sizing engine. See docs/sizing.md.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from forcelift.migration.inventory.model import Server


class PaasKind(StrEnum):
    """What a group of servers becomes on a platform service."""

    WEB_APP = "web_app"
    SQL_SERVER = "sql_server"
    POSTGRESQL = "postgresql"
    MYSQL = "mysql"
    ORACLE = "oracle"
    OBJECT_STORAGE = "object_storage"
    FILE_STORAGE = "file_storage"


#: Database engines, matched per installed product on word boundaries, so "MySQL Server 8.0"
#: (which contains "sql server") is MySQL and "PostgreSQL Server" is PostgreSQL. First wins.
_DATABASE_PATTERNS: tuple[tuple[PaasKind, re.Pattern[str]], ...] = (
    (PaasKind.SQL_SERVER, re.compile(r"\bsql server\b|\bmssql\b")),
    (PaasKind.POSTGRESQL, re.compile(r"\bpostgres(ql)?\b")),
    (PaasKind.MYSQL, re.compile(r"\b(mysql|mariadb|percona server)\b")),
    (PaasKind.ORACLE, re.compile(r"\boracle\b.*\b(database|db)\b")),
)

#: Web software by class: web servers, application servers, language runtimes and frameworks,
#: and the process managers and WSGI/ASGI servers that front them. "Apache" alone is a
#: foundation, not a web server: only its HTTP server (or a bare "Apache"/"httpd") counts, so
#: Apache Solr, Kafka or ActiveMQ are not web apps.
_WEB = re.compile(
    r"\b("
    r"iis|internet information services?|apache (http|web) server|apache2?|httpd|nginx|lighttpd|"
    r"caddy|tomcat|jetty|jboss|wildfly|websphere|weblogic|glassfish|payara|spring boot|"
    r"asp\.net|kestrel|php(\d[\d.]*)?(-fpm)?|node\.?js|express\.?js|pm2|next\.?js|"
    r"django|flask|fastapi|gunicorn|uvicorn|hypercorn|waitress|uwsgi|mod_wsgi|"
    r"ruby on rails|rails|puma|phusion passenger"
    r")\b"
)
#: product names that are web software only when they are the whole name ("Apache 2.4",
#: "Node 18", "Express 4.18"), not a word inside another product's name ("Apache Solr",
#: "Node Exporter", "SQL Server Express")
_WEB_ALONE = frozenset({"apache", "apache2", "node", "express"})
_VERSIONS = re.compile(r"(\s+(v?\d[\w.\-]*|x64|x86|64-bit|32-bit))+$")


def _product_texts(server: Server) -> list[tuple[str, str]]:
    """Per installed product: (vendor product edition, product name without its version)."""
    out = []
    for p in server.software:
        full = " ".join(f"{p.vendor} {p.product} {p.edition}".lower().split())
        name = _VERSIONS.sub("", " ".join(p.product.lower().split()))
        out.append((full, name))
    return out


def _is_web(full: str, name: str) -> bool:
    if name in _WEB_ALONE:
        return True
    for match in _WEB.finditer(full):
        if match.group(1) not in ("apache", "apache2"):
            return True
        # "Apache" followed by another product word is one of the foundation's other products
        rest = full[match.end() :].split()
        if not rest or re.fullmatch(r"v?\d[\w.\-]*", rest[0]):
            return True
    return False


def infer_paas_kind(server: Server) -> PaasKind | None:
    """The platform service a server's software suggests, or None when nothing does.

    Each product is matched on its own, on word boundaries: a database engine anywhere wins
    over web software, and a product is web software by what it is, not by a vendor word in it.
    """
    products = _product_texts(server)
    for kind, pattern in _DATABASE_PATTERNS:
        if any(pattern.search(full) for full, _ in products):
            return kind
    if any(_is_web(full, name) for full, name in products):
        return PaasKind.WEB_APP
    return None


def sql_edition(server: Server) -> Literal["", "standard", "enterprise"]:
    """The SQL Server edition a server needs licensed ("" when none, or a free edition)."""
    sql_server = _DATABASE_PATTERNS[0][1]
    for product in server.software:
        if not sql_server.search(f"{product.vendor} {product.product}".lower()):
            continue
        edition = f"{product.edition} {product.product}".lower()
        if "express" in edition or "developer" in edition:
            continue
        return "enterprise" if "enterprise" in edition else "standard"
    return ""
