"""Right-sizing: VM family and size, disks, PaaS tiers, workloads, bad input, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import (
    Disk,
    Inventory,
    OperatingSystem,
    Server,
    SoftwareProduct,
    Utilisation,
)
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.sizing import (
    PaasKind,
    Sizer,
    SizingBasis,
    SizingConfig,
    assign_servers,
    infer_paas_kind,
    size_paas,
    size_server,
    sql_edition,
)
from forcelift.migration.plan.skus import SkuCategory, load_catalogue

from .conftest import check_golden

WINDOWS = OperatingSystem(name="Windows Server 2019")


def _server(name: str = "s", cores: int = 4, memory_gib: float = 16, **kw: object) -> Server:
    return Server(name=name, cores=cores, memory_mib=int(memory_gib * 1024), **kw)


def test_performance_sizing_uses_utilisation_times_comfort(azure_prices: PriceSnapshot) -> None:
    util = Utilisation(cpu_percent=30, memory_percent=60)
    vm = size_server(_server(utilisation=util), Cloud.AZURE, azure_prices)
    assert vm.basis is SizingBasis.PERFORMANCE
    assert vm.required_vcpus == 2  # ceil(4 x 0.30 x 1.3 = 1.56)
    assert vm.required_memory_gib == pytest.approx(12.48)  # 16 x 0.60 x 1.3
    assert vm.size == "Standard_E2as_v5"  # 6.24 GiB/vCPU: the cheapest fit is a memory size
    assert vm.cpu_demand_vcpus == pytest.approx(1.2)


def test_comfort_factor_is_configurable(azure_prices: PriceSnapshot) -> None:
    util = Utilisation(cpu_percent=30, memory_percent=60)
    vm = size_server(
        _server(utilisation=util), Cloud.AZURE, azure_prices, SizingConfig(comfort_factor=2.0)
    )
    assert (vm.required_vcpus, vm.required_memory_gib) == (3, 19.2)


def test_as_on_premise_without_utilisation(azure_prices: PriceSnapshot) -> None:
    vm = size_server(_server(cores=8, memory_gib=64), Cloud.AZURE, azure_prices)
    assert vm.basis is SizingBasis.AS_ON_PREMISE
    assert (vm.size, vm.vcpus, vm.memory_gib) == ("Standard_E8as_v5", 8, 64)
    forced = size_server(
        _server(utilisation=Utilisation(cpu_percent=5)),
        Cloud.AZURE,
        azure_prices,
        SizingConfig(mode="as-on-premise"),
    )
    assert forced.basis is SizingBasis.AS_ON_PREMISE and forced.vcpus == 4


@pytest.mark.parametrize(
    ("cores", "memory", "azure", "aws"),
    [
        (4, 8, "Standard_F4s_v2", "c6i.xlarge"),  # 2 GiB per vCPU: compute
        (4, 16, "Standard_D4as_v5", "m6i.xlarge"),  # 4: general
        (4, 32, "Standard_E4as_v5", "r6i.xlarge"),  # 8: memory
        (2, 5, "Standard_D2as_v5", "m6i.large"),  # 2.5: the tightest family that covers it
        (4, 64, "Standard_E8as_v5", "r6i.2xlarge"),  # 16: memory family, larger size
    ],
)
def test_family_follows_memory_per_vcpu(
    cores: int,
    memory: int,
    azure: str,
    aws: str,
    azure_prices: PriceSnapshot,
    aws_prices: PriceSnapshot,
) -> None:
    server = _server(cores=cores, memory_gib=memory)
    assert size_server(server, Cloud.AZURE, azure_prices).size == azure
    assert size_server(server, Cloud.AWS, aws_prices).size == aws


def test_burstable_for_small_quiet_servers(
    azure_prices: PriceSnapshot, aws_prices: PriceSnapshot
) -> None:
    quiet = _server(cores=2, memory_gib=4, utilisation=Utilisation(cpu_percent=5))
    assert size_server(quiet, Cloud.AZURE, azure_prices).size == "Standard_B2s"
    assert size_server(quiet, Cloud.AWS, aws_prices).size == "t3.medium"
    busy = _server(cores=2, memory_gib=4, utilisation=Utilisation(cpu_percent=60))
    assert size_server(busy, Cloud.AZURE, azure_prices).category is not SkuCategory.BURSTABLE
    unknown = _server(cores=2, memory_gib=4)  # no evidence, no burstable
    assert size_server(unknown, Cloud.AWS, aws_prices).category is not SkuCategory.BURSTABLE
    off = SizingConfig(burstable=False)
    assert size_server(quiet, Cloud.AZURE, azure_prices, off).category is not SkuCategory.BURSTABLE


def test_family_restriction_and_cheapest_mode(aws_prices: PriceSnapshot) -> None:
    server = _server(cores=4, memory_gib=16)
    only_m7i = SizingConfig(aws_families=("m7i", "r7i", "c7i"))
    assert size_server(server, Cloud.AWS, aws_prices, only_m7i).size == "m7i.xlarge"
    cheapest = SizingConfig(family_selection="cheapest")
    assert size_server(_server(cores=2, memory_gib=5), Cloud.AWS, aws_prices, cheapest).size == (
        "m6i.large"
    )
    with pytest.raises(InputError, match="unknown aws VM families: m5"):
        Sizer(Cloud.AWS, aws_prices, SizingConfig(aws_families=("m5",)))


def test_too_big_for_any_size_is_flagged(azure_prices: PriceSnapshot) -> None:
    vm = size_server(_server(cores=256, memory_gib=4096), Cloud.AZURE, azure_prices)
    assert not vm.fits
    assert any("dedicated host" in n for n in vm.notes)


def test_unix_is_sized_with_a_warning(azure_prices: PriceSnapshot) -> None:
    vm = size_server(_server(os=OperatingSystem(name="AIX 7.2")), Cloud.AZURE, azure_prices)
    assert any("does not run" in n for n in vm.notes)


def test_azure_disks_by_size_and_iops(azure_prices: PriceSnapshot) -> None:
    disks = (Disk(name="os", provisioned_gib=100), Disk(name="data", provisioned_gib=500))
    server = _server(disks=disks, utilisation=Utilisation(iops=2000))
    vm = size_server(server, Cloud.AZURE, azure_prices)
    assert [(d.disk_type, d.tier, d.size_gib) for d in vm.disks] == [
        ("StandardSSD", "E10", 128),  # 433 IOPS fits Standard SSD's 500
        ("PremiumSSD", "P20", 512),  # 2,167 IOPS needs Premium
    ]
    premium = Sizer(Cloud.AZURE, azure_prices).server(server, premium_disks=True)
    assert {d.disk_type for d in premium.disks} == {"PremiumSSD"}
    big_iops = _server(disks=(Disk(provisioned_gib=100),), utilisation=Utilisation(iops=4000))
    # 4,000 x 1.3 = 5,200 IOPS: more than P30 (5,000) gives, so P40 (7,500) although 128 GiB
    assert size_server(big_iops, Cloud.AZURE, azure_prices).disks[0].tier == "P40"


def test_huge_disks_are_split(azure_prices: PriceSnapshot, aws_prices: PriceSnapshot) -> None:
    server = _server(disks=(Disk(name="archive", provisioned_gib=40000),))
    azure = size_server(server, Cloud.AZURE, azure_prices).disks
    assert [d.name for d in azure] == ["archive (part 1/2)", "archive (part 2/2)"]
    aws = size_server(server, Cloud.AWS, aws_prices).disks
    assert len(aws) == 3 and all(d.size_gib <= 16384 for d in aws)


def test_missing_disks_assume_an_os_disk(aws_prices: PriceSnapshot) -> None:
    vm = size_server(_server(os=WINDOWS), Cloud.AWS, aws_prices)
    assert [(d.disk_type, d.size_gib, d.iops) for d in vm.disks] == [("gp3", 128, 3000)]
    assert "assumed" in vm.disks[0].name


def test_gp3_iops_above_baseline(aws_prices: PriceSnapshot) -> None:
    server = _server(disks=(Disk(provisioned_gib=200),), utilisation=Utilisation(iops=5000))
    (disk,) = size_server(server, Cloud.AWS, aws_prices).disks
    assert (disk.size_gib, disk.iops, disk.mbps) == (200, 6500, 125)


def test_sql_edition_and_paas_inference() -> None:
    sql = _server(software=(SoftwareProduct(vendor="Microsoft", product="SQL Server"),))
    assert sql_edition(sql) == "standard" and infer_paas_kind(sql) is PaasKind.SQL_SERVER
    ent = _server(software=(SoftwareProduct(product="SQL Server", edition="Enterprise"),))
    assert sql_edition(ent) == "enterprise"
    express = _server(software=(SoftwareProduct(product="SQL Server", edition="Express"),))
    assert sql_edition(express) == ""
    web = _server(software=(SoftwareProduct(vendor="Apache", product="Tomcat"),))
    assert infer_paas_kind(web) is PaasKind.WEB_APP
    pg = _server(software=(SoftwareProduct(product="PostgreSQL"),))
    assert infer_paas_kind(pg) is PaasKind.POSTGRESQL
    assert infer_paas_kind(_server()) is None


def test_paas_tiers(azure_prices: PriceSnapshot, aws_prices: PriceSnapshot) -> None:
    sql = _server("sql1", cores=8, memory_gib=32, disks=(Disk(provisioned_gib=500, used_gib=200),))
    mi = size_paas(PaasKind.SQL_SERVER, [sql], Cloud.AZURE, azure_prices)
    assert (mi.offer, mi.tier, mi.storage_gib) == ("sql_managed_instance", "GP_Gen5_8", 200)
    db = size_paas(
        PaasKind.SQL_SERVER,
        [sql],
        Cloud.AZURE,
        azure_prices,
        SizingConfig(azure_sql_target="sql_database"),
    )
    assert (db.offer, db.tier) == ("sql_database", "GP_Gen5_8")
    rds = size_paas(PaasKind.SQL_SERVER, [sql], Cloud.AWS, aws_prices)
    assert (rds.tier, rds.service.startswith("Amazon RDS for SQL Server")) == (
        "db.m6i.2xlarge",
        True,
    )
    web = [_server(f"web{i}", cores=2, memory_gib=8) for i in range(3)]
    plan = size_paas(PaasKind.WEB_APP, web, Cloud.AZURE, azure_prices)
    assert (plan.tier, plan.instances) == ("P1v3", 3)
    quiet = _server("pg", cores=2, memory_gib=4, utilisation=Utilisation(cpu_percent=5))
    pg = size_paas(PaasKind.POSTGRESQL, [quiet], Cloud.AWS, aws_prices)
    assert pg.tier == "db.t3.medium" and pg.storage_gib == 32  # minimum storage
    files = size_paas(PaasKind.FILE_STORAGE, [sql], Cloud.AWS, aws_prices)
    assert files.storage_gib == 200 and files.service == "Amazon EFS (Standard)"


def test_large_sql_database_moves_to_managed_instance(azure_prices: PriceSnapshot) -> None:
    big = _server("big", cores=8, memory_gib=32, disks=(Disk(provisioned_gib=6000),))
    sized = size_paas(
        PaasKind.SQL_SERVER,
        [big],
        Cloud.AZURE,
        azure_prices,
        SizingConfig(azure_sql_target="sql_database"),
    )
    assert sized.offer == "sql_managed_instance"
    assert any("exceeds Azure SQL Database" in n for n in sized.notes)


def test_paas_bad_input(azure_prices: PriceSnapshot) -> None:
    with pytest.raises(InputError, match="no azure platform service for oracle"):
        size_paas(PaasKind.ORACLE, [_server()], Cloud.AZURE, azure_prices)
    with pytest.raises(InputError, match="no servers"):
        size_paas(PaasKind.WEB_APP, [], Cloud.AZURE, azure_prices)


def test_workload_targets(
    smallshire: Inventory, azure_prices: PriceSnapshot, aws_prices: PriceSnapshot
) -> None:
    index = smallshire.server_index()
    rms = [index["rms-app01"], index["rms-sql01"]]
    azure = Sizer(Cloud.AZURE, azure_prices).workload("Niche RMS", rms, "paas")
    assert azure.decision == "PAAS" and not azure.vms
    assert sorted(p.kind for p in azure.paas) == [PaasKind.SQL_SERVER, PaasKind.WEB_APP]
    oracle = _server("ora", software=(SoftwareProduct(vendor="Oracle", product="Database"),))
    kept = Sizer(Cloud.AZURE, azure_prices).workload("Ledger", [oracle], "PAAS")
    assert [v.server for v in kept.vms] == ["ora"]
    assert any("no azure platform service for oracle" in n for n in kept.notes)
    on_aws = Sizer(Cloud.AWS, aws_prices).workload("Ledger", [oracle], "PAAS")
    assert on_aws.paas[0].offer == "oracle"
    override = Sizer(Cloud.AZURE, azure_prices).workload(
        "Niche RMS", rms, "PAAS", paas_kinds={"RMS-APP01": None}
    )
    assert [v.server for v in override.vms] == ["RMS-APP01"]
    for decision in ("SAAS", "RETAIN", "RETIRE"):
        empty = Sizer(Cloud.AWS, aws_prices).workload("x", rms, decision)
        assert not empty.vms and not empty.paas and empty.notes
    with pytest.raises(InputError, match="unknown decision 'MOVE'"):
        Sizer(Cloud.AWS, aws_prices).workload("x", rms, "move")


def test_prices_must_match_the_cloud(azure_prices: PriceSnapshot) -> None:
    with pytest.raises(InputError, match="price snapshot is for azure, not aws"):
        Sizer(Cloud.AWS, azure_prices)


def test_golden_smallshire_targets(
    smallshire: Inventory,
    decisions: dict[str, str],
    azure_prices: PriceSnapshot,
    aws_prices: PriceSnapshot,
) -> None:
    owned = assign_servers(smallshire)
    out = {}
    for cloud, prices in ((Cloud.AZURE, azure_prices), (Cloud.AWS, aws_prices)):
        sizer = Sizer(cloud, prices)
        out[cloud.value] = [
            sizer.workload(
                app.name,
                owned.servers[app.name],
                decisions[app.name],
                notes=owned.notes.get(app.name, ()),
            ).model_dump(mode="json", exclude_defaults=True)
            for app in smallshire.applications
        ]
    check_golden("targets-smallshire.yaml", out)


# --- properties ----------------------------------------------------------------------------

servers = st.builds(
    Server,
    name=st.just("p"),
    cores=st.integers(1, 128),
    memory_mib=st.integers(512, 1024 * 1024),
    utilisation=st.one_of(
        st.none(),
        st.builds(
            Utilisation,
            cpu_percent=st.one_of(st.none(), st.floats(0, 100)),
            memory_percent=st.one_of(st.none(), st.floats(0, 100)),
        ),
    ),
)


@settings(max_examples=80, deadline=None)
@given(server=servers, cloud=st.sampled_from(list(Cloud)))
def test_chosen_size_fits_and_nothing_cheaper_in_its_pool_does(
    server: Server, cloud: Cloud, azure_prices: PriceSnapshot, aws_prices: PriceSnapshot
) -> None:
    prices = azure_prices if cloud is Cloud.AZURE else aws_prices
    vm = Sizer(cloud, prices).server(server)
    if not vm.fits:
        return
    assert vm.vcpus >= vm.required_vcpus
    assert vm.memory_gib >= vm.required_memory_gib - 1e-9
    price = prices.require("vm", vm.size)
    sizes = load_catalogue().for_cloud(cloud).sizes()
    same_pool = [s for s in sizes if s.category is vm.category]
    for size in same_pool:
        fits = size.vcpus >= vm.required_vcpus and size.memory_gib >= vm.required_memory_gib
        if fits and vm.category is not SkuCategory.BURSTABLE:
            assert prices.require("vm", size.name) >= price, size.name
