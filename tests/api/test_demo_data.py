"""The demo data `make run` loads is a believable catalog that the storefront queries serve."""

from __future__ import annotations

from core.actors.models import Brand, BrandStatus
from core.catalog.models import Product, ProductMedia, Variant, VariantPrice
from core.demo import seed_demo

PAGE = """query ($search: String, $currency: String, $language: String) {
  products(first: 5, filter: { search: $search }, currency: $currency, language: $language) {
    totalCount
    edges { node { name thumbnail { url } pricing { priceRange { start { amount currency } } }
                   variants { sku size colour } } }
  }
}"""


async def test_demo_catalog_is_believable_and_served(gql):
    summary = await seed_demo()
    assert summary.startswith("loaded 3 brands")
    assert await Brand.filter(status=BrandStatus.APPROVED).count() == 3
    assert await Product.all().count() >= 200
    assert set(await VariantPrice.all().distinct().values_list("currency", flat=True)) >= {"IDR", "MYR"}
    sizes = set(await Variant.all().distinct().values_list("size", flat=True))
    colours = set(await Variant.all().distinct().values_list("colour", flat=True))
    assert len(sizes) >= 4 and len(colours) >= 4
    assert await ProductMedia.all().count() >= 200

    data = await gql(PAGE, {"currency": "MYR", "language": "en"}, storefront="sekar-modest")
    assert data["products"]["totalCount"] >= 60
    node = data["products"]["edges"][0]["node"]
    assert node["thumbnail"]["url"].startswith("https://")
    assert node["pricing"]["priceRange"]["start"]["currency"] == "MYR"
    assert {v["size"] for v in node["variants"]} and all(v["colour"] for v in node["variants"])

    koko = await gql(PAGE, {"search": "koko"}, storefront="koko-nusantara")
    assert koko["products"]["totalCount"] >= 5
    assert all("koko" in e["node"]["name"].lower() for e in koko["products"]["edges"])

    taxes = await gql('{ importTaxes { country name rate } customsRates(country: "MY") { hsPrefix } }')
    assert {t["country"]: t["name"] for t in taxes["importTaxes"]} == {
        "MY": "SST",
        "SA": "VAT",
        "TR": "KDV",
        "SG": "GST",
    }
    assert {"6204", "6211"} <= {r["hsPrefix"] for r in taxes["customsRates"]}

    # Every demo product can be exported: classified per category, the fibre deciding the subheading.
    customs = """query($first: Int) { products(first: $first) { edges { node { slug
      customs { hsCode originCountry complete composition { material } } } } } }"""
    for storefront in ("sekar-modest", "koko-nusantara", "rumah-kebaya"):
        nodes = [e["node"] for e in (await gql(customs, {"first": 100}, storefront=storefront))["products"]["edges"]]
        assert nodes and all(n["customs"]["complete"] and n["customs"]["originCountry"] == "ID" for n in nodes), [
            n["slug"] for n in nodes if not n["customs"]["complete"]
        ]
        for n in nodes:
            material, code = n["customs"]["composition"][0]["material"], n["customs"]["hsCode"]
            if n["slug"].startswith("gamis"):
                assert code == {"cotton": "620442", "polyester": "620443", "linen": "620449"}[material], n
            if n["slug"].startswith("baju-koko"):
                assert code == {"cotton": "620520", "viscose": "620530", "linen": "620590"}[material], n


MTM_QUERY = """query { products(first: 10, filter: { madeToMeasure: true }) {
  edges { node { name madeToMeasure madeToMeasureConfig { garmentType { code } } } } } }"""
SIGN_IN = """mutation($input: TokenCreateInput!) { tokenCreate(input: $input) { token errors { code } } }"""
MY_ORDERS = """query { me { orders(first: 10) { edges { node { number status
  productionJobs { stage history { stage } } lines { customGarment { garmentType fabric { sku } } } } } } } }"""


async def test_demo_made_to_measure_orders_stand_in_every_stage(gql, plugin_host, monkeypatch):
    from core.garments.demo import DEMO_PASSWORD_ENV
    from core.garments.models import Fabric, ProductionJob

    monkeypatch.setenv(DEMO_PASSWORD_ENV, "kata-sandi-demo-1")
    summary = await seed_demo(host=plugin_host)
    assert "4 made to measure, 8 made-to-measure orders" in summary
    assert summary.endswith("password kata-sandi-demo-1")
    stages = [job.stage.value for job in await ProductionJob.all().order_by("id")]
    assert stages == ["QUEUED", "QUEUED", "QUEUED", "ASSIGNED", "SEWING", "ALTERATION", "READY", "SHIPPED"]
    assert await Fabric.filter(stock_metres__lt=0).count() == 0

    mtm = await gql(MTM_QUERY, storefront="sekar-modest")
    codes = {e["node"]["madeToMeasureConfig"]["garmentType"]["code"] for e in mtm["products"]["edges"]}
    assert codes == {"GAMIS", "ABAYA"}

    signed = await gql(SIGN_IN, {"input": {"email": "siti@demo.lini.id", "password": "kata-sandi-demo-1"}})
    gql.token = signed["tokenCreate"]["token"]
    orders = [e["node"] for e in (await gql(MY_ORDERS, storefront="sekar-modest"))["me"]["orders"]["edges"]]
    by_number = {o["number"]: o for o in orders}
    assert by_number[1]["status"] == "UNPAID" and by_number[8]["status"] == "SHIPPED"
    shipped = by_number[8]["productionJobs"][0]
    assert [h["stage"] for h in shipped["history"]][-3:] == ["QUALITY_CHECK", "READY", "SHIPPED"]
    assert by_number[8]["lines"][0]["customGarment"]["garmentType"] == "GAMIS"


async def test_without_a_chosen_password_the_demo_accounts_get_a_random_one(gql, monkeypatch):
    from core.garments.demo import DEMO_PASSWORD_ENV

    monkeypatch.delenv(DEMO_PASSWORD_ENV, raising=False)
    first = (await seed_demo()).rsplit(" ", 1)[1]
    assert len(first) >= 12 and first not in {"", "lini-demo-2026"}


async def test_the_demo_queued_garments_are_offered_to_certified_tailors_with_varied_records(app, plugin_host):
    """What `make run` shows of dispatch: 12 tailors around Bandung, Jakarta, Solo and Kuala Lumpur, several with
    a record, and each paid, queued garment offered to one of them once the demo's events are delivered."""
    from core.actors.models import Tailor
    from core.garments.candidates import track_records
    from core.garments.models import JobStage, ProductionJob
    from core.outbox import dispatch
    from plugins.tailor_dispatch.models import DispatchOffer, DispatchPrice, OfferStatus

    await seed_demo(host=plugin_host)
    await dispatch(plugin_host)

    tailors = await Tailor.all()
    assert len(tailors) >= 12
    assert {"Bandung", "Jakarta Selatan", "Surakarta", "Kuala Lumpur"} <= {t.city for t in tailors}
    records = await track_records([t.id for t in tailors], last=20)
    assert sum(record.jobs > 0 for record in records.values()) >= 2
    queued = ProductionJob.filter(stage=JobStage.QUEUED)
    paid = await queued.exclude(order__status="UNPAID").values_list("id", flat=True)
    assert len(paid) == 2
    offered = await DispatchOffer.filter(status=OfferStatus.OPEN).values_list("job_id", flat=True)
    assert sorted(offered) == sorted(paid)  # the unpaid order's garment waits for its transfer
    # Several tailors ask a price for gamis in rupiah, so PRICE ranks the demo's gamis.
    priced = await DispatchPrice.filter(garment_type_code="GAMIS", currency="IDR").values_list("tailor_id", flat=True)
    assert len(set(priced)) >= 4


async def test_demo_garments_have_a_size_chart_row_for_each_size(gql):
    await seed_demo()
    query = """query($slug: String!) { product(slug: $slug) { variants { size }
      sizeChart { size measurements { code value } } } }"""
    gamis = await Product.filter(brand__slug="sekar-modest", category__slug="gamis").first()
    hijab = await Product.filter(brand__slug="sekar-modest", category__slug="hijab").first()
    found = (await gql(query, {"slug": gamis.slug}, storefront="sekar-modest"))["product"]
    assert [row["size"] for row in found["sizeChart"]] == list(dict.fromkeys(v["size"] for v in found["variants"]))
    assert found["sizeChart"][0]["measurements"] == [
        {"code": "LD", "value": "94"},
        {"code": "PB", "value": "136"},
        {"code": "PL", "value": "55"},
    ]
    # a hijab is not measured by the body
    assert (await gql(query, {"slug": hijab.slug}, storefront="sekar-modest"))["product"]["sizeChart"] == []
