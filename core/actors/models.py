"""Brands: the tenants. Every brand-owned row in Lini hangs off one of these."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class BrandStatus(StrEnum):
    APPLIED = "APPLIED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"


class Incoterm(StrEnum):
    DAP = "DAP"  # delivered at place: the buyer pays duties on arrival
    DDP = "DDP"  # delivered duty paid: collected at checkout


class Brand(Model):
    id = fields.BigIntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    status = fields.CharEnumField(BrandStatus, max_length=16, default=BrandStatus.APPLIED)
    description = fields.TextField(default="")
    logo_url = fields.CharField(max_length=500, default="")
    primary_color = fields.CharField(max_length=9, default="#1f2937")
    default_currency = fields.CharField(max_length=3, default="IDR")
    # Enabled currencies, languages (BCP 47) and ISO 3166-1 alpha-2 countries shipped to.
    currencies: fields.Field[list[str]] = fields.JSONField(default=list)
    languages: fields.Field[list[str]] = fields.JSONField(default=list)
    # The language of the catalog's own texts; translations fall back to it.
    default_language = fields.CharField(max_length=8, default="id")
    # Prices are entered including tax (gross) or excluding it (net).
    prices_include_tax = fields.BooleanField(default=True)
    ships_to: fields.Field[list[str]] = fields.JSONField(default=list)
    # Where the brand's parcels leave from (ISO 3166-1 alpha-2): a parcel to any other country crosses a border
    # and needs customs data on every line (core.customs.export).
    ships_from = fields.CharField(max_length=2, default="ID")
    # Who pays import duty and tax on a parcel abroad: the buyer on arrival (DAP: an estimate at checkout) or the
    # brand, collected at checkout as its own line of the totals (DDP).
    incoterm = fields.CharEnumField(Incoterm, max_length=3, default=Incoterm.DAP)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "brand"

    @property
    def is_serving(self) -> bool:
        return self.status == BrandStatus.APPROVED


class BrandDomain(Model):
    """A host name that selects a brand's storefront without the `Lini-Storefront` header."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="domains", on_delete=fields.CASCADE
    )
    host = fields.CharField(max_length=253, unique=True)

    class Meta:
        table = "brand_domain"


class StaffRole(StrEnum):
    OWNER = "OWNER"
    MANAGER = "MANAGER"
    STAFF = "STAFF"


class StaffMember(Model):
    """A user's role in one brand (a user may work for several brands)."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="staff", on_delete=fields.CASCADE
    )
    brand_id: int
    user: fields.ForeignKeyRelation = fields.ForeignKeyField("lini.User", related_name="staff_memberships")
    user_id: int
    role = fields.CharEnumField(StaffRole, max_length=16)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff_member"
        unique_together = (("brand", "user"),)


class StaffInvite(Model):
    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="invites", on_delete=fields.CASCADE
    )
    brand_id: int
    email = fields.CharField(max_length=254)
    role = fields.CharEnumField(StaffRole, max_length=16)
    token_hash = fields.CharField(max_length=64, unique=True)
    invited_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.User", related_name="invites_sent", null=True, on_delete=fields.SET_NULL
    )
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff_invite"


class ActorStatus(StrEnum):
    """The selection step every supplier and tailor passes before joining (brands use `BrandStatus`)."""

    APPLIED = "APPLIED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"


class Supplier(Model):
    """A fabric, trims or accessories maker."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation = fields.ForeignKeyField("lini.User", related_name="suppliers")
    user_id: int
    status = fields.CharEnumField(ActorStatus, max_length=16, default=ActorStatus.APPLIED)
    legal_name = fields.CharField(max_length=200)
    country = fields.CharField(max_length=2)
    city = fields.CharField(max_length=100)
    contact_name = fields.CharField(max_length=200, default="")
    contact_email = fields.CharField(max_length=254, default="")
    contact_phone = fields.CharField(max_length=40, default="")
    contact_phone_e164 = fields.CharField(max_length=20, default="")
    # FABRIC, TRIMS, ACCESSORIES
    supplies: fields.Field[list[str]] = fields.JSONField(default=list)
    status_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "supplier"


class TailorKind(StrEnum):
    INDIVIDUAL = "INDIVIDUAL"
    WORKSHOP = "WORKSHOP"


class Tailor(Model):
    """An individual tailor or a convection workshop that makes garments to order."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation = fields.ForeignKeyField("lini.User", related_name="tailors")
    user_id: int
    status = fields.CharEnumField(ActorStatus, max_length=16, default=ActorStatus.APPLIED)
    kind = fields.CharEnumField(TailorKind, max_length=16)
    display_name = fields.CharField(max_length=200)
    city = fields.CharField(max_length=100)
    province = fields.CharField(max_length=100, default="")
    country = fields.CharField(max_length=2, default="ID")
    latitude = fields.DecimalField(max_digits=9, decimal_places=6, null=True)
    longitude = fields.DecimalField(max_digits=9, decimal_places=6, null=True)
    # Garment type codes shared with made-to-measure: SHIRT, TROUSERS, GAMIS, ABAYA, BAJU_KOKO, KEBAYA, …
    garment_types: fields.Field[list[str]] = fields.JSONField(default=list)
    capacity = fields.IntField(default=1)
    lead_time_days = fields.IntField(default=7)
    phone = fields.CharField(max_length=40, default="")
    phone_e164 = fields.CharField(max_length=20, default="")
    status_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tailor"


class CertificationStatus(StrEnum):
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


class Certification(Model):
    """A competency certificate, e.g. SKKNI through a BNSP-licensed LSP (valid three years)."""

    id = fields.BigIntField(primary_key=True)
    tailor: fields.ForeignKeyRelation[Tailor] = fields.ForeignKeyField(
        "lini.Tailor", related_name="certifications", on_delete=fields.CASCADE
    )
    tailor_id: int
    scheme = fields.CharField(max_length=100)
    kkni_level = fields.IntField(null=True)
    # [{"code": "GAR.CM02.003.01", "title": "Menjahit …"}]
    competency_units: fields.Field[list[dict[str, str]]] = fields.JSONField(default=list)
    certificate_number = fields.CharField(max_length=100)
    lsp = fields.CharField(max_length=200)
    issued_on = fields.DateField()
    valid_until = fields.DateField()
    document_url = fields.CharField(max_length=500, default="")
    status = fields.CharEnumField(CertificationStatus, max_length=16, default=CertificationStatus.PENDING)
    status_reason = fields.TextField(default="")
    verified_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.User", related_name="certifications_verified", null=True, on_delete=fields.SET_NULL
    )
    verified_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "certification"
        unique_together = (("scheme", "certificate_number"),)


class Address(Model):
    """An entry in a customer's address book."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.User", related_name="addresses", on_delete=fields.CASCADE
    )
    user_id: int
    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100, default="")
    company = fields.CharField(max_length=200, default="")
    street1 = fields.CharField(max_length=250)
    street2 = fields.CharField(max_length=250, default="")
    city = fields.CharField(max_length=100)
    province = fields.CharField(max_length=100, default="")
    postal_code = fields.CharField(max_length=20, default="")
    country = fields.CharField(max_length=2)
    phone = fields.CharField(max_length=40, default="")
    phone_e164 = fields.CharField(max_length=20, default="")
    is_default_shipping = fields.BooleanField(default=False)
    is_default_billing = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "address"
