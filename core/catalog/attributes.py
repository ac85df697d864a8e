"""Typed product properties a brand defines (fabric: choice, sleeve length: number in cm, lining: yes/no) and
the values its products carry.

Values are typed so that the storefront can filter them (`fabric in [chiffon, crepe]`, `length >= 130`); a
value is therefore checked against its attribute's type when it is set, never coerced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.auth.permissions import Permission
from core.catalog import validation
from core.catalog.models import Attribute, AttributeChoice, AttributeType, Product, ProductAttributeValue
from core.catalog.validation import load_owned, next_position
from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.validation import Problems

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
TEXTS = {"name": 200}
CHOICE_TEXTS = {"label": 200}
# Which input key carries a value of each type (and its name in the API, for messages).
VALUE_KEYS = {
    AttributeType.CHOICE: ("choice_codes", "choiceCodes"),
    AttributeType.TEXT: ("text", "text"),
    AttributeType.NUMBER: ("number", "number"),
    AttributeType.BOOLEAN: ("boolean", "boolean"),
}
MAX_NUMBER = Decimal(10) ** 9  # DecimalField(max_digits=12, decimal_places=3)


def _code(problems: Problems, value: str | None, field: str = "code") -> str:
    code = (value or "").strip().lower()
    if not CODE.match(code):
        problems.add("INVALID_CODE", "A code is 1–64 lowercase letters, digits, - and _.", field)
    return code


def _choices(problems: Problems, entries: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    result, codes = [], set()
    for i, entry in enumerate(entries or []):
        at = problems.at(f"choices.{i}")
        code = _code(at, entry.get("code"))
        if code in codes:
            at.add("CODE_TAKEN", f"The choice {code} is listed twice.", "code")
        codes.add(code)
        label = validation.required_text(at, entry.get("label"), "label", 200, code="INVALID_LABEL")
        texts = validation.translations(at, entry.get("translations"), CHOICE_TEXTS, "translations")
        result.append({"code": code, "label": label, "translations": texts, "position": i})
    return result


def _definition(problems: Problems, data: Mapping[str, Any], type: AttributeType, *, partial: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if not partial or data.get("name") is not None:
        values["name"] = validation.required_text(problems, data.get("name"), "name", 200)
    if not partial or data.get("unit") is not None:
        values["unit"] = validation.optional_text(problems, data.get("unit"), "unit", 16)
    if data.get("filterable") is not None:
        values["filterable"] = bool(data["filterable"])
    if data.get("translations") is not None:
        values["translations"] = validation.translations(problems, data["translations"], TEXTS, "translations")
    if data.get("choices") and type != AttributeType.CHOICE:
        problems.add("INVALID_CHOICES", "Only CHOICE attributes have choices.", "choices")
    return values


async def create_attribute(actor: Actor, brand: Brand, data: Mapping[str, Any]) -> Attribute:
    actor.require(brand.id, Permission.MANAGE_PRODUCTS)
    problems = Problems()
    code = _code(problems, data.get("code"))
    type = AttributeType(data["type"])
    values = _definition(problems, data, type, partial=False)
    choices = _choices(problems, data.get("choices"))
    taken = DomainError("CODE_TAKEN", f"The brand already has an attribute {code}.", "code")
    if code and await Attribute.exists(brand_id=brand.id, code=code):
        problems.errors.append(taken)
    problems.check()
    try:
        async with in_transaction():
            position = await next_position(Attribute.filter(brand_id=brand.id))
            attribute = await Attribute.create(brand_id=brand.id, code=code, type=type, position=position, **values)
            await AttributeChoice.bulk_create([AttributeChoice(attribute_id=attribute.id, **c) for c in choices])
            await emit("attribute.created", {"attribute_id": attribute.id, "code": code}, brand_id=brand.id)
    except IntegrityError:
        raise taken from None
    return attribute


async def _holders(attribute_id: int) -> list[int]:
    """The products carrying a value of the attribute: their searchable labels change with it."""
    ids = await ProductAttributeValue.filter(attribute_id=attribute_id).distinct().values_list("product_id", flat=True)
    return cast("list[int]", ids)


async def _replace_choices(attribute_id: int, choices: list[dict[str, Any]]) -> None:
    """Keep choices by code (their product values stay), add new ones, delete those not listed."""
    existing = {c.code: c for c in await AttributeChoice.filter(attribute_id=attribute_id)}
    wanted = {c["code"] for c in choices}
    await AttributeChoice.filter(attribute_id=attribute_id).exclude(code__in=list(wanted)).delete()
    for choice in choices:
        if choice["code"] in existing:
            await AttributeChoice.filter(id=existing[choice["code"]].id).update(**choice)
    new = [AttributeChoice(attribute_id=attribute_id, **c) for c in choices if c["code"] not in existing]
    await AttributeChoice.bulk_create(new)


async def update_attribute(actor: Actor, attribute_id: int, changes: Mapping[str, Any]) -> Attribute:
    """`choices`, when given, is the full list; changing the type is refused once products carry values."""
    attribute = await load_owned(actor, Attribute, attribute_id, "attribute")
    problems = Problems()
    type = AttributeType(changes.get("type") or attribute.type)
    values = _definition(problems, changes, type, partial=True)
    choices = None if changes.get("choices") is None else _choices(problems, changes["choices"])
    if type != attribute.type:
        if await ProductAttributeValue.exists(attribute_id=attribute.id):
            problems.add("ATTRIBUTE_IN_USE", "Products carry values of this attribute; its type stays.", "type")
        values["type"] = type
        if type != AttributeType.CHOICE:
            choices = []
    problems.check()
    async with in_transaction():
        if values:
            await Attribute.filter(id=attribute.id).update(**values)
        if choices is not None:
            await _replace_choices(attribute.id, choices)
        await validation.products_changed(await _holders(attribute.id))
        fields = sorted(values) + ["choices"] * (choices is not None)
        await emit("attribute.updated", {"attribute_id": attribute.id, "fields": fields}, brand_id=attribute.brand_id)
    return await Attribute.get(id=attribute.id)


async def delete_attribute(actor: Actor, attribute_id: int) -> Attribute:
    """Its choices and every product's values of it go with it."""
    attribute = await load_owned(actor, Attribute, attribute_id, "attribute")
    async with in_transaction():
        holders = await _holders(attribute.id)
        await Attribute.filter(id=attribute.id).delete()
        await validation.products_changed(holders)
        await emit(
            "attribute.deleted", {"attribute_id": attribute.id, "code": attribute.code}, brand_id=attribute.brand_id
        )
    return attribute


async def translate_attribute(actor: Actor, attribute_id: int, language: str, name: str | None) -> Attribute:
    attribute = await load_owned(actor, Attribute, attribute_id, "attribute")
    merged = validation.merge_translation(attribute.translations, language, {"name": name}, TEXTS)
    async with in_transaction():
        await Attribute.filter(id=attribute.id).update(translations=merged)
        await validation.products_changed(await _holders(attribute.id))
        await emit(
            "attribute.updated", {"attribute_id": attribute.id, "fields": ["translations"]}, brand_id=attribute.brand_id
        )
    return await Attribute.get(id=attribute.id)


async def translate_choice(actor: Actor, choice_id: int, language: str, label: str | None) -> AttributeChoice:
    choice = await load_owned(actor, AttributeChoice, choice_id, "attribute choice", via="attribute")
    merged = validation.merge_translation(choice.translations, language, {"label": label}, CHOICE_TEXTS)
    async with in_transaction():
        await AttributeChoice.filter(id=choice.id).update(translations=merged)
        await validation.products_changed(await _holders(choice.attribute_id))
        await emit(
            "attribute.updated",
            {"attribute_id": choice.attribute_id, "choice_id": choice.id, "fields": ["translations"]},
            brand_id=choice.attribute.brand_id,
        )
    return await AttributeChoice.get(id=choice.id)


def _value_rows(
    at: Problems, product_id: int, attribute: Attribute, entry: Mapping[str, Any], choices: Mapping[str, int]
) -> list[ProductAttributeValue]:
    """The rows for one attribute's value, if the value has the attribute's type."""
    key, api_name = VALUE_KEYS[attribute.type]
    given = sorted(k for k, _ in VALUE_KEYS.values() if entry.get(k) is not None)
    if given != [key]:
        wrong = [k for k in given if k != key]
        message = f"{attribute.code} is a {attribute.type} attribute: give `{api_name}` only."
        at.add("INVALID_ATTRIBUTE_VALUE", message, wrong[0] if wrong else key)
        return []
    row = {"product_id": product_id, "attribute_id": attribute.id}
    value = entry[key]
    if attribute.type == AttributeType.CHOICE:
        codes = list(dict.fromkeys(str(code).strip().lower() for code in value))
        unknown = [code for code in codes if code not in choices]
        if unknown or not codes:
            message = f"{attribute.code} has no choice {', '.join(unknown)}." if unknown else "Give at least one."
            at.add("UNKNOWN_CHOICE" if unknown else "INVALID_ATTRIBUTE_VALUE", message, key)
            return []
        return [ProductAttributeValue(**row, choice_id=choices[code]) for code in codes]
    if attribute.type == AttributeType.TEXT:
        text = str(value).strip()
        if not 0 < len(text) <= 1000:
            at.add("INVALID_ATTRIBUTE_VALUE", "A text value is 1–1000 characters.", key)
            return []
        return [ProductAttributeValue(**row, text_value=text)]
    if attribute.type == AttributeType.NUMBER:
        if not (isinstance(value, Decimal) and value.is_finite() and abs(value) < MAX_NUMBER):
            at.add("INVALID_ATTRIBUTE_VALUE", "A number value is below a billion.", key)
            return []
        return [ProductAttributeValue(**row, number_value=value.quantize(Decimal("0.001")))]
    return [ProductAttributeValue(**row, boolean_value=bool(value))]


async def set_product_attributes(actor: Actor, product_id: int, entries: Sequence[Mapping[str, Any]]) -> Product:
    """Replace all of a product's attribute values with `entries` (an empty list clears them)."""
    product = await load_owned(actor, Product, product_id, "product", field="product_id")
    codes = [(entry.get("attribute_code") or "").strip().lower() for entry in entries]
    attributes = {a.code: a for a in await Attribute.filter(brand_id=product.brand_id, code__in=codes)}
    choices: dict[int, dict[str, int]] = {a.id: {} for a in attributes.values()}
    for choice in await AttributeChoice.filter(attribute_id__in=list(choices)):
        choices[choice.attribute_id][choice.code] = choice.id
    problems = Problems()
    rows: list[ProductAttributeValue] = []
    for i, (code, entry) in enumerate(zip(codes, entries, strict=True)):
        at = problems.at(f"values.{i}")
        attribute = attributes.get(code)
        if attribute is None:
            at.add("UNKNOWN_ATTRIBUTE", f"This brand has no attribute {code or '?'}.", "attribute_code")
        elif code in codes[:i]:
            at.add("DUPLICATE_ATTRIBUTE", f"{code} is listed twice.", "attribute_code")
        else:
            rows.extend(_value_rows(at, product.id, attribute, entry, choices[attribute.id]))
    problems.check()
    async with in_transaction():
        await ProductAttributeValue.filter(product_id=product.id).delete()
        await ProductAttributeValue.bulk_create(rows)
        await validation.products_changed([product.id])
        await emit("product.updated", {"product_id": product.id, "fields": ["attributes"]}, brand_id=product.brand_id)
    return product
