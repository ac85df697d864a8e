"""The longest each list field of the API may be: the cost limit multiplies by it, and execution holds to it.

A Relay connection is bounded by its page size; every other list field is named here with its maximum (or the
list argument whose length it is, like `nodes(ids:)`). A list field missing from the table (a plugin's, say) may
hold up to `[graphql] max_page_size` items. A test walks the schema and fails when a core list field is missing.

The maxima are what the domain allows (checkout lines: `[checkout] max_lines`; bulk creation: 100 products) or,
where the domain has no cap yet, a generous bound that real data stays far below. Execution never returns more:
a longer list is cut to its maximum and a warning names the field, so the cost estimate stays an upper bound
even when data outgrows it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from typing import Any

from graphql import GraphQLList, GraphQLObjectType, GraphQLOutputType, GraphQLResolveInfo, get_named_type
from graphql.execution import Executor
from graphql.pyutils import AwaitableOrValue, Path

from core.settings import Settings
from schema.query_analysis import ExecutionCost, ListSize, QueryLimits

logger = logging.getLogger("lini.graphql")

LANGUAGES = 10
CURRENCIES = 20
COUNTRIES = 250  # ISO 3166-1
PERMISSIONS = 50
ERRORS = 100  # any payload's `errors`
HISTORY = 1000  # state changes of one order, job or profile; price changes of one fabric

STATIC: dict[str, ListSize] = {
    "Query.nodes": "ids",
    "Query.categories": 500,
    "Query.staffMembers": 200,
    "Query.apps": 100,
    "Query.garmentTypes": 100,
    "Query.brandPlugins": 50,
    "Query.shippingZones": 100,
    "App.permissions": PERMISSIONS,
    "StaffMembership.permissions": PERMISSIONS,
    "Attribute.choices": 500,
    "Brand.currencies": CURRENCIES,
    "Brand.languages": LANGUAGES,
    "Brand.shipsTo": COUNTRIES,
    "Brand.domains": 20,
    "Storefront.currencies": CURRENCIES,
    "Storefront.languages": LANGUAGES,
    "Storefront.shipsTo": COUNTRIES,
    "BrandPlugin.secrets": 20,
    "Certification.competencyUnits": 50,
    "Checkout.availableShippingMethods": 50,
    "Checkout.availablePaymentGateways": 20,
    "Checkout.taxLines": 20,
    "CollectionPayload.products": 500,  # core.catalog.taxonomy.MAX_PRODUCTS
    "CustomGarment.options": 30,
    "CustomGarment.measurements": 50,
    "CustomGarment.optionCharges": 30,
    "CustomGarment.adjustments": 20,
    "CustomGarmentOption.values": 20,
    "OrderLineCustomGarment.options": 30,
    "OrderLineCustomGarment.measurements": 50,
    "Fabric.images": 20,
    "Fabric.priceHistory": HISTORY,
    "GarmentType.names": LANGUAGES,
    "GarmentType.measurementFields": 50,
    "MeasurementField.labels": LANGUAGES,
    "MeasurementField.hints": LANGUAGES,
    "MadeToMeasureConfig.sizeBands": 20,
    "MadeToMeasureConfig.optionGroups": 30,
    "MadeToMeasureConfig.fabrics": 100,
    "MadeToMeasureFabric.images": 20,
    "MadeToMeasureFabric.consumption": 20,
    "MadeToMeasureGarmentType.fields": 50,
    "MadeToMeasureOptionGroup.values": 50,
    "MeasurementProfile.measurements": 50,
    "MeasurementProfile.versions": HISTORY,
    "MeasurementProfileVersion.measurements": 50,
    "Order.taxLines": 20,
    "Order.shipments": 50,
    "Shipment.events": HISTORY,
    "Shipment.documents": 2,  # core.customs.papers.KINDS: an invoice and a packing list
    "ShipmentDocumentsRegeneratePayload.documents": 2,
    "Order.payments": 20,
    "Order.refunds": 50,
    "Order.history": HISTORY,
    "OrderProductionJob.history": HISTORY,
    "Query.customsRates": 500,
    "Query.importTaxes": COUNTRIES,
    "CustomsData.composition": 8,  # core.customs.rules.MAX_MATERIALS
    "CustomsData.sources": 5,  # one per CustomsField
    "CustomsData.missing": 5,
    "Product.sizeChart": 20,
    "Product.variants": 100,  # core.catalog.bulk.MAX_VARIANTS
    "Product.media": 50,
    "Product.attributes": 30,
    "ProductAttribute.values": 30,
    "ProductBulkCreatePayload.products": 100,  # core.catalog.bulk.MAX_PRODUCTS
    "ProductBulkCreatePayload.errors": 1000,
    "ProductMediaReorderPayload.media": 50,
    "ProductVariant.prices": CURRENCIES,
    "ProductionJob.measurements": 50,
    "ProductionJob.options": 30,
    "ProductionJob.nextStages": 20,
    "ProductionJob.history": HISTORY,
    "ProductionJob.inspections": 20,
    "ProductionJobStep.photoUrls": 20,
    "ProductionOption.values": 20,
    "QcInspectionResult.checklist": 50,
    "QcInspectionResult.defects": 50,
    "QcInspectionResult.photoUrls": 20,
    "ShippingMethod.rates": 50,
    "ShippingMethod.freeShippingThresholds": CURRENCIES,
    "ShippingZone.countries": COUNTRIES,
    "ShippingZone.provinces": 100,
    "ShippingZone.methods": 50,
    "SizeChartRow.measurements": 30,
    "StockUpdatePayload.stocks": 100,  # core.catalog.management.MAX_STOCK_ITEMS
    "Supplier.supplies": 10,
    "Tailor.garmentTypes": 50,
    "Tailor.certifications": 20,
    "User.addresses": 50,
    "User.measurementProfiles": 100,
    "User.staffMemberships": 50,
    "Voucher.currencies": CURRENCIES,
    # the built-in plugins' lists (a third-party plugin's default to [graphql] max_page_size)
    "DispatchExplanation.candidates": 10_000,  # every approved tailor, judged
    "DispatchCandidate.filters": 20,
    "DispatchCandidate.terms": 20,
    "CatalogImport.warnings": 1000,
    "Trim.images": 20,
    "Trim.priceHistory": HISTORY,
    "Query.supplierShortfall": 500,  # the fabrics a brand's uncut made-to-measure jobs hold
    "SupplierMaterial.images": 20,
    "SupplierOrder.lines": 50,  # plugins.supplier_catalogs.orders.MAX_LINES
    "SupplierOrder.history": HISTORY,
    "Query.myDispatchMetrics": 500,  # one line per brand the tailor has worked for
    "DispatchBatchPayload.offers": 100,  # dispatchBatch takes at most 100 jobs per call
    "DispatchBatchPayload.unplaced": 100,
    "DispatchPricePayload.prices": 200,  # plugins.tailor_dispatch.prices.MAX_PRICES per tailor profile
    "Query.myDispatchPrices": 1000,  # MAX_PRICES for each of the account's few tailor profiles
    "Query.catalogFormats": 100,  # one per installed feed format
    "Query.dispatchStrategies": 100,  # one per installed dispatch strategy
    "CatalogFormatInfo.extensions": 20,
    "CatalogFormatInfo.mediaTypes": 20,
    "Query.webhookEventTypes": 500,
    "Webhook.events": 200,  # core.webhooks.services.MAX_EVENTS
}


def list_sizes(settings: Settings, type_fields: Iterable[tuple[str, str, bool]]) -> dict[str, ListSize]:
    """The maximum of every list field of a schema: `type_fields` yields (type, field, is a list) for each field.
    Connections' `edges` hold one page; payloads' `errors` at most `ERRORS`; lines follow the checkout's cap."""
    lines = settings.checkout.max_lines
    sizes: dict[str, ListSize] = {
        **STATIC,
        "Checkout.lines": lines,
        "LandedCost.lines": lines,
        "Order.lines": lines,
        "Order.productionJobs": lines,
        "Shipment.lines": lines,
    }
    for type_name, field_name, is_list in type_fields:
        key = f"{type_name}.{field_name}"
        if not is_list or key in sizes:
            continue
        if type_name.endswith("Connection") and field_name == "edges":
            sizes[key] = settings.graphql.max_page_size
        elif type_name.endswith("Payload") and field_name == "errors":
            sizes[key] = ERRORS
    return sizes


def bounded_executor(
    base: type[Executor], sizes: Mapping[str, ListSize], default: int, limits: QueryLimits | None = None
) -> type[Executor]:
    """The schema's executor (`base`), cutting any list longer than its field's maximum, and saying so in the log.
    With `limits`, it also counts each plain list's real length in the operation's cost and refuses the rest of
    the operation (QUERY_TOO_COSTLY) once the cost passes `limits.max_cost`."""
    maxima = {key: size if isinstance(size, int) else default for key, size in sizes.items()}

    class BoundedListExecutor(base):  # type: ignore[valid-type,misc]
        cost: ExecutionCost | None = None

        def _count(self, field_details_list: Any, info: GraphQLResolveInfo, item_type: Any, length: int) -> bool:
            assert limits is not None
            if not isinstance(info.parent_type, GraphQLObjectType):
                return True
            if self.cost is None:
                self.cost = ExecutionCost(self.schema, self.fragments, self.operation, limits)
            if self.cost.exceeded:
                return False
            if not self.cost.counts(info.parent_type, info.field_name):
                return True
            nodes = [details.node for details in field_details_list]
            return self.cost.add_list(nodes, info.parent_type, get_named_type(item_type), length)

        def complete_list_value(
            self,
            return_type: GraphQLList[GraphQLOutputType],
            field_details_list: Any,
            info: GraphQLResolveInfo,
            path: Path,
            result: AsyncIterable[Any] | Iterable[Any],
            position_context: None,
        ) -> AwaitableOrValue[list[Any]]:
            # introspection lists (`__Schema.types`, `__Type.enumValues`) are as long as the schema, not the data
            if isinstance(result, Sequence) and not info.parent_type.name.startswith("__"):
                key = f"{info.parent_type.name}.{info.field_name}"
                maximum = maxima.get(key, default)
                if len(result) > maximum:
                    logger.warning("%s returned %d items, more than its maximum of %d: cut", key, len(result), maximum)
                    result = result[:maximum]
                if limits is not None and not self._count(field_details_list, info, return_type.of_type, len(result)):
                    assert self.cost is not None
                    raise self.cost.error([details.node for details in field_details_list])
            return super().complete_list_value(return_type, field_details_list, info, path, result, position_context)

    return BoundedListExecutor
