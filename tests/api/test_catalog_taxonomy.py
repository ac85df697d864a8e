"""Catalog management through GraphQL, continued: the category tree, collections, attribute definitions and
typed product attribute values, and the translation updates."""

from __future__ import annotations

from typing import Any

import pytest

from core.actors.models import StaffRole
from core.catalog.models import (
    Attribute,
    AttributeChoice,
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductAttributeValue,
)
from tests.api.test_catalog_management import create_product, decode, gid, snapshot
from tests.factories import make_brand, make_product, make_staff

CATEGORY_FIELDS = "category { id slug name parent { slug } } errors { field code }"
CATEGORY_CREATE = f"mutation($input: CategoryCreateInput!) {{ categoryCreate(input: $input) {{ {CATEGORY_FIELDS} }} }}"
CATEGORY_UPDATE = f"""mutation($id: ID!, $input: CategoryUpdateInput!) {{
  categoryUpdate(id: $id, input: $input) {{ {CATEGORY_FIELDS} }} }}"""
CATEGORY_DELETE = f"mutation($id: ID!) {{ categoryDelete(id: $id) {{ {CATEGORY_FIELDS} }} }}"
ATTRIBUTES_SET = """mutation($p: ID!, $values: [ProductAttributeValueInput!]!) {
  productAttributesSet(productId: $p, input: { values: $values }) {
    product { attributes { attribute { code } values { code label } } } errors { field code } } }"""


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    _, token = await make_staff(brand, StaffRole.STAFF)
    gql.storefront, gql.token = "sekar", token
    return {"brand": brand, "token": token}


async def test_category_tree_moves_refuse_cycles_and_rewrite_paths(gql, shop):
    async def create(name: str, parent: str | None = None) -> dict[str, Any]:
        data = await gql(CATEGORY_CREATE, {"input": {"name": name, "parentId": parent}})
        assert data["categoryCreate"]["errors"] == []
        return data["categoryCreate"]["category"]

    gamis = await create("Gamis")
    syari = await create("Gamis Syari", gamis["id"])
    pesta = await create("Pesta", syari["id"])
    hijab = await create("Hijab")
    assert syari["parent"] == {"slug": "gamis"}
    ids = {c["slug"]: decode(c["id"]) for c in (gamis, syari, pesta, hijab)}
    assert (await Category.get(id=ids["pesta"])).path == f"/{ids['gamis']}/{ids['gamis-syari']}/{ids['pesta']}/"
    for target, parent in ((gamis, pesta), (gamis, gamis), (syari, pesta)):
        refused = await gql(CATEGORY_UPDATE, {"id": target["id"], "input": {"parentId": parent["id"]}})
        assert refused["categoryUpdate"]["errors"] == [{"field": "parentId", "code": "CATEGORY_CYCLE"}]
    moved = await gql(CATEGORY_UPDATE, {"id": syari["id"], "input": {"parentId": hijab["id"], "name": "Syar'i"}})
    assert moved["categoryUpdate"]["category"] == {**syari, "name": "Syar'i", "parent": {"slug": "hijab"}}
    paths = {c.slug: c.path for c in await Category.all()}
    assert paths["pesta"] == f"/{ids['hijab']}/{ids['gamis-syari']}/{ids['pesta']}/"
    assert paths["gamis-syari"] == f"/{ids['hijab']}/{ids['gamis-syari']}/"
    to_top = await gql(CATEGORY_UPDATE, {"id": pesta["id"], "input": {"parentId": None}})
    assert to_top["categoryUpdate"]["category"]["parent"] is None
    assert (await Category.get(id=ids["pesta"])).path == f"/{ids['pesta']}/"
    blocked = await gql(CATEGORY_DELETE, {"id": hijab["id"]})
    assert blocked["categoryDelete"]["errors"] == [{"field": "id", "code": "CATEGORY_HAS_CHILDREN"}]
    product = await make_product(shop["brand"], "Gamis", category_id=ids["pesta"])
    assert (await gql(CATEGORY_DELETE, {"id": pesta["id"]}))["categoryDelete"]["errors"] == []
    assert (await Product.get(id=product.id)).category_id is None
    assert await Category.all().count() == 3


async def test_collections_add_reorder_and_remove_products(gql, shop):
    a, b, c = [await make_product(shop["brand"], name) for name in ("Abaya", "Burqa", "Cadar")]
    fields = "collection { id slug name } products { name } errors { field code }"
    created = await gql(
        f"mutation($input: CollectionCreateInput!) {{ collectionCreate(input: $input) {{ {fields} }} }}",
        {"input": {"name": "Koleksi Lebaran 2026"}},
    )
    collection = created["collectionCreate"]["collection"]
    assert collection["slug"] == "koleksi-lebaran-2026"

    async def call(name: str, products: list[Any]) -> dict[str, Any]:
        query = (
            f"mutation($id: ID!, $input: CollectionProductsInput!) {{ {name}(id: $id, input: $input) {{ {fields} }} }}"
        )
        ids = [gid("Product", p.id) if not isinstance(p, str) else p for p in products]
        return (await gql(query, {"id": collection["id"], "input": {"productIds": ids}}))[name]

    def names(payload: dict[str, Any]) -> list[str]:
        return [p["name"] for p in payload["products"]]

    assert names(await call("collectionAddProducts", [b, a])) == ["Burqa", "Abaya"]
    assert names(await call("collectionAddProducts", [a, c])) == ["Burqa", "Abaya", "Cadar"]
    assert names(await call("collectionReorderProducts", [c, b, a])) == ["Cadar", "Burqa", "Abaya"]
    assert names(await call("collectionReorderProducts", [a])) == ["Abaya", "Cadar", "Burqa"]
    assert names(await call("collectionRemoveProducts", [c])) == ["Abaya", "Burqa"]
    foreign = await make_product(await make_brand("koko"), "Koko")
    assert (await call("collectionAddProducts", [foreign]))["errors"] == [{"field": "productIds", "code": "NOT_FOUND"}]
    assert (await call("collectionReorderProducts", [c]))["errors"] == [
        {"field": "productIds", "code": "NOT_IN_COLLECTION"}
    ]
    assert (await call("collectionAddProducts", [gid("Category", 1)]))["errors"] == [
        {"field": "productIds", "code": "INVALID_ID"}
    ]
    update = f"""mutation($id: ID!) {{ collectionUpdate(id: $id, input: {{ name: "Lebaran", isPublished: false }})
      {{ {fields} }} }}"""
    assert (await gql(update, {"id": collection["id"]}))["collectionUpdate"]["collection"]["name"] == "Lebaran"
    assert not (await Collection.get(id=decode(collection["id"]))).is_published
    delete = f"mutation($id: ID!) {{ collectionDelete(id: $id) {{ {fields} }} }}"
    assert (await gql(delete, {"id": collection["id"]}))["collectionDelete"]["errors"] == []
    assert await CollectionProduct.all().count() == 0 and await Product.all().count() == 4


async def test_attributes_and_typed_product_values(gql, shop):
    create = """mutation($input: AttributeCreateInput!) { attributeCreate(input: $input) {
      attribute { id code type choices { id code label } } errors { field code } } }"""
    fabric = (
        await gql(
            create,
            {
                "input": {
                    "code": "fabric",
                    "name": "Bahan",
                    "type": "CHOICE",
                    "choices": [{"code": "chiffon", "label": "Chiffon"}, {"code": "crepe", "label": "Crepe"}],
                }
            },
        )
    )["attributeCreate"]["attribute"]
    assert [c["code"] for c in fabric["choices"]] == ["chiffon", "crepe"]
    for code, type_ in (("length", "NUMBER"), ("lining", "BOOLEAN"), ("care", "TEXT")):
        made = await gql(create, {"input": {"code": code, "name": code.title(), "type": type_, "unit": "cm"}})
        assert made["attributeCreate"]["errors"] == []
    taken = await gql(create, {"input": {"code": "fabric", "name": "Again", "type": "TEXT"}})
    assert taken["attributeCreate"]["errors"] == [{"field": "code", "code": "CODE_TAKEN"}]
    product = await create_product(gql)
    values = [
        {"attributeCode": "fabric", "choiceCodes": ["crepe", "chiffon"]},
        {"attributeCode": "length", "number": "135.5"},
        {"attributeCode": "lining", "boolean": True},
        {"attributeCode": "care", "text": "Cuci tangan"},
    ]
    done = await gql(ATTRIBUTES_SET, {"p": product["id"], "values": values})
    assert done["productAttributesSet"]["errors"] == []
    shown = {a["attribute"]["code"]: a["values"] for a in done["productAttributesSet"]["product"]["attributes"]}
    assert shown["fabric"] == [{"code": "chiffon", "label": "Chiffon"}, {"code": "crepe", "label": "Crepe"}]
    assert shown["length"] == [{"code": None, "label": "135.5 cm"}]
    before = await snapshot()
    cases = [
        ({"attributeCode": "colour", "text": "red"}, "values.0.attributeCode", "UNKNOWN_ATTRIBUTE"),
        ({"attributeCode": "fabric", "choiceCodes": ["linen"]}, "values.0.choiceCodes", "UNKNOWN_CHOICE"),
        ({"attributeCode": "care", "number": "3"}, "values.0.number", "INVALID_ATTRIBUTE_VALUE"),
        ({"attributeCode": "length", "text": "long"}, "values.0.text", "INVALID_ATTRIBUTE_VALUE"),
    ]
    for value, field, code in cases:
        data = await gql(ATTRIBUTES_SET, {"p": product["id"], "values": [value]})
        assert data["productAttributesSet"]["errors"] == [{"field": field, "code": code}], value
    assert await snapshot() == before
    update = """mutation($id: ID!, $input: AttributeUpdateInput!) { attributeUpdate(id: $id, input: $input) {
      attribute { choices { code label } } errors { field code } } }"""
    replaced = await gql(
        update, {"id": fabric["id"], "input": {"choices": [{"code": "crepe", "label": "Crepe Premium"}]}}
    )
    assert replaced["attributeUpdate"]["attribute"]["choices"] == [{"code": "crepe", "label": "Crepe Premium"}]
    assert await ProductAttributeValue.filter(attribute_id=decode(fabric["id"])).count() == 1  # chiffon's went
    in_use = await gql(update, {"id": fabric["id"], "input": {"type": "TEXT"}})
    assert in_use["attributeUpdate"]["errors"] == [{"field": "type", "code": "ATTRIBUTE_IN_USE"}]
    delete = "mutation($id: ID!) { attributeDelete(id: $id) { attribute { code } errors { code } } }"
    assert (await gql(delete, {"id": fabric["id"]}))["attributeDelete"]["attribute"] == {"code": "fabric"}
    assert await ProductAttributeValue.all().count() == 3


async def test_translation_updates_for_products_categories_collections_and_choices(gql, shop):
    product = await create_product(gql)
    translate = """mutation($id: ID!, $input: ProductTranslationInput!) {
      productTranslationUpdate(id: $id, input: $input) { product { name description } errors { field code } } }"""
    done = await gql(translate, {"id": product["id"], "input": {"language": "ar", "name": "عباية عائشة"}})
    assert done["productTranslationUpdate"]["product"]["name"] == "عباية عائشة"
    await gql(translate, {"id": product["id"], "input": {"language": "en", "description": "Robe"}})
    assert (await Product.get(id=decode(product["id"]))).translations == {
        "ar": {"name": "عباية عائشة"},
        "en": {"description": "Robe"},
    }
    await gql(translate, {"id": product["id"], "input": {"language": "ar", "name": ""}})
    assert (await Product.get(id=decode(product["id"]))).translations == {"en": {"description": "Robe"}}
    bad = await gql(translate, {"id": product["id"], "input": {"language": "xx", "name": "?"}})
    assert bad["productTranslationUpdate"]["errors"] == [{"field": "language", "code": "INVALID_LANGUAGE"}]
    create_category = 'mutation { categoryCreate(input: { name: "Gamis" }) { category { id } } }'
    category = (await gql(create_category))["categoryCreate"]["category"]
    category_translate = """mutation($id: ID!) { categoryTranslationUpdate(id: $id, input: { language: "en",
      name: "Robes" }) { category { name } errors { code } } }"""
    assert (await gql(category_translate, {"id": category["id"]}))["categoryTranslationUpdate"]["category"] == {
        "name": "Robes"
    }
    collection = await Collection.create(brand=shop["brand"], slug="lebaran", name="Lebaran")
    collection_translate = """mutation($id: ID!) { collectionTranslationUpdate(id: $id, input: { language: "en",
      name: "Eid" }) { collection { name } errors { code } } }"""
    payload = await gql(collection_translate, {"id": gid("Collection", collection.id)})
    assert payload["collectionTranslationUpdate"]["collection"] == {"name": "Eid"}
    attribute = await Attribute.create(brand=shop["brand"], code="fabric", name="Bahan", type="CHOICE")
    choice = await AttributeChoice.create(attribute=attribute, code="crepe", label="Krep")
    choice_translate = """mutation($id: ID!) { attributeChoiceTranslationUpdate(id: $id, input: { language: "en",
      label: "Crepe" }) { choice { label } errors { code } } }"""
    payload = await gql(choice_translate, {"id": gid("AttributeChoice", choice.id)})
    assert payload["attributeChoiceTranslationUpdate"]["choice"] == {"label": "Crepe"}
