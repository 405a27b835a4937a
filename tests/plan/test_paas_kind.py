"""Which platform service a server's installed software points at, product by product."""

from __future__ import annotations

import pytest

from forcelift.migration.inventory.model import Server, SoftwareProduct
from forcelift.migration.plan.paas_kind import PaasKind, infer_paas_kind, sql_edition

# (vendor, product, edition) as inventories and discovery exports write them
Product = tuple[str, str, str]


def _server(*products: Product) -> Server:
    software = tuple(SoftwareProduct(vendor=v, product=p, edition=e) for v, p, e in products)
    return Server(name="s1", cores=2, memory_mib=8192, software=software)


@pytest.mark.parametrize(
    ("product", "kind"),
    [
        # database engines whose names contain another engine's words
        (("Oracle", "MySQL Server 8.0", ""), PaasKind.MYSQL),
        (("", "MySQL Server", "Community"), PaasKind.MYSQL),
        (("", "PostgreSQL Server 15", ""), PaasKind.POSTGRESQL),
        (("MariaDB Foundation", "MariaDB Server 10.6", ""), PaasKind.MYSQL),
        (("Percona", "Percona Server for MySQL 8.0", ""), PaasKind.MYSQL),
        (("Microsoft", "SQL Server 2019", "Standard"), PaasKind.SQL_SERVER),
        (("Microsoft", "Microsoft SQL Server 2016 (64-bit)", ""), PaasKind.SQL_SERVER),
        (("", "mssql-server", ""), PaasKind.SQL_SERVER),
        (("Oracle", "Oracle Database 19c", "Enterprise"), PaasKind.ORACLE),
    ],
)
def test_database_engine_is_the_product_not_a_substring(product: Product, kind: PaasKind) -> None:
    assert infer_paas_kind(_server(product)) is kind


@pytest.mark.parametrize(
    "product",
    [
        ("Oracle", "MySQL Server 8.0", ""),
        ("", "PostgreSQL Server", ""),
        ("", "NoSQL Server Tools", ""),
    ],
)
def test_other_engines_are_never_licensed_as_sql_server(product: Product) -> None:
    assert sql_edition(_server(product)) == ""


@pytest.mark.parametrize(
    "product",
    [
        # the Apache foundation's other products are not web servers
        ("Apache Software Foundation", "Solr 8.11", ""),
        ("", "Apache Solr", ""),
        ("", "Apache Kafka 3.4", ""),
        ("", "Apache ActiveMQ", ""),
        ("", "Apache ZooKeeper", ""),
        ("", "Apache Cassandra 4.1", ""),
        # a word inside another product's name
        ("Prometheus", "Node Exporter 1.6", ""),
        ("SAP", "Crystal Reports Express", ""),
        ("", "OpenSSH 8.0p1", ""),
    ],
)
def test_products_that_only_share_a_word_with_web_software_stay_vms(product: Product) -> None:
    assert infer_paas_kind(_server(product)) is None


@pytest.mark.parametrize(
    "product",
    [
        # web servers, including Apache's own
        ("Apache Software Foundation", "Apache HTTP Server 2.4", ""),
        ("", "Apache 2.4.57", ""),
        ("", "apache2", ""),
        ("", "httpd", ""),
        ("", "nginx 1.22", ""),
        ("Microsoft", "Internet Information Services 10", ""),
        ("Apache Software Foundation", "Tomcat 9", ""),
        # Python frameworks and the WSGI/ASGI servers that run them
        ("", "Django 4.2", ""),
        ("", "Flask 2.3", ""),
        ("", "gunicorn 21.2", ""),
        ("", "uvicorn", ""),
        # Node.js, its frameworks and process managers
        ("OpenJS Foundation", "Node.js 18", ""),
        ("", "nodejs", ""),
        ("", "Node 20", ""),
        ("", "Express 4.18", ""),
        ("", "express.js", ""),
        ("", "PM2 5.3", ""),
        # other runtimes
        ("", "PHP 8.2", ""),
        ("Microsoft", "ASP.NET Core Runtime 8.0", ""),
    ],
)
def test_web_software_is_recognised_by_class(product: Product) -> None:
    assert infer_paas_kind(_server(product)) is PaasKind.WEB_APP


def test_a_database_on_the_server_wins_over_web_software() -> None:
    server = _server(("", "nginx", ""), ("", "gunicorn", ""), ("", "PostgreSQL 15", ""))
    assert infer_paas_kind(server) is PaasKind.POSTGRESQL


def test_solr_beside_apache_httpd_is_a_web_app_because_of_httpd() -> None:
    server = _server(("", "Apache Solr 8", ""), ("", "Apache HTTP Server", ""))
    assert infer_paas_kind(server) is PaasKind.WEB_APP


def test_words_from_different_products_do_not_combine() -> None:
    """An Oracle client and some other "DB" tool are not an Oracle database."""
    server = _server(("Oracle", "Instant Client 19", ""), ("", "DB Browser for SQLite", ""))
    assert infer_paas_kind(server) is None


def test_nothing_installed_is_nothing_inferred() -> None:
    assert infer_paas_kind(_server()) is None
