"""The built-in garment types and what a tailor measures for each, in the words Indonesian tailors use.

Pure data, read by the data migration that inserts the built-ins (0008) and by tests. Ranges are in cm and
cover adults from petite to plus sizes, wide enough not to refuse a real body and narrow enough to catch a
typo (96 typed as 9.6 or 960). A change here reaches existing databases only through a new data migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

LANGUAGES = ("id", "en", "ms", "tr", "ar")


@dataclass(frozen=True)
class FieldSpec:
    code: str
    labels: dict[str, str]
    hints: dict[str, str]
    min_cm: Decimal
    max_cm: Decimal
    required: bool = True

    def ranged(self, min_cm: str, max_cm: str, *, required: bool | None = None) -> FieldSpec:
        """The same measurement with the range (and optionally the required flag) a garment type needs."""
        return replace(
            self,
            min_cm=Decimal(min_cm),
            max_cm=Decimal(max_cm),
            required=self.required if required is None else required,
        )

    def optional(self) -> FieldSpec:
        return replace(self, required=False)


@dataclass(frozen=True)
class TypeSpec:
    code: str
    names: dict[str, str]
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)


def _field(
    code: str, min_cm: str, max_cm: str, labels: tuple[str, str, str, str, str], hints: dict[str, str]
) -> FieldSpec:
    return FieldSpec(
        code=code,
        labels=dict(zip(LANGUAGES, labels, strict=True)),
        hints=hints,
        min_cm=Decimal(min_cm),
        max_cm=Decimal(max_cm),
    )


# --- the measurements, each defined once -------------------------------------------------------------------

LINGKAR_BADAN = _field(
    "LINGKAR_BADAN", "60", "170",
    ("Lingkar badan", "Chest / bust", "Lilitan dada", "Göğüs çevresi", "محيط الصدر"),
    {
        "id": "Lingkarkan meteran di bagian dada paling tebal, melewati ketiak, tidak terlalu kencang.",
        "en": "Around the fullest part of the chest, under the arms, tape level and not tight.",
        "ar": "حول أعرض جزء من الصدر، تحت الإبطين، والشريط مستوٍ وغير مشدود.",
        "ms": "Lilitkan pita pada bahagian dada paling penuh, di bawah ketiak.",
    },
)  # fmt: skip
LINGKAR_PINGGANG = _field(
    "LINGKAR_PINGGANG", "45", "160",
    ("Lingkar pinggang", "Waist", "Lilitan pinggang", "Bel çevresi", "محيط الخصر"),
    {
        "id": "Lingkarkan meteran di pinggang paling kecil, sedikit di atas pusar.",
        "en": "Around the natural waist, the narrowest part just above the navel.",
        "ar": "حول الخصر الطبيعي، أضيق جزء فوق السرّة مباشرة.",
        "ms": "Lilitkan pita pada bahagian pinggang paling kecil, di atas pusat.",
    },
)  # fmt: skip
LINGKAR_PANGGUL = _field(
    "LINGKAR_PANGGUL", "60", "180",
    ("Lingkar panggul", "Hips", "Lilitan pinggul", "Kalça çevresi", "محيط الورك"),
    {
        "id": "Lingkarkan meteran di bagian panggul paling besar, kaki rapat.",
        "en": "Around the widest part of the hips and seat, feet together.",
        "ar": "حول أعرض جزء من الوركين والمقعدة، والقدمان متلاصقتان.",
        "ms": "Lilitkan pita pada bahagian pinggul paling besar, kaki rapat.",
    },
)  # fmt: skip
LINGKAR_LEHER = _field(
    "LINGKAR_LEHER", "28", "56",
    ("Lingkar leher", "Neck", "Lilitan leher", "Boyun çevresi", "محيط الرقبة"),
    {
        "id": "Lingkarkan meteran di pangkal leher, sisakan satu jari di dalamnya.",
        "en": "Around the base of the neck with one finger under the tape.",
        "ar": "حول قاعدة الرقبة مع إصبع واحد تحت الشريط.",
        "ms": "Lilitkan pita pada pangkal leher, selitkan satu jari.",
    },
)  # fmt: skip
LEBAR_BAHU = _field(
    "LEBAR_BAHU", "28", "62",
    ("Lebar bahu", "Shoulder width", "Lebar bahu", "Omuz genişliği", "عرض الكتفين"),
    {
        "id": "Ukur dari ujung bahu kiri ke ujung bahu kanan melewati tengkuk.",
        "en": "From the tip of one shoulder to the other, across the back of the neck.",
        "ar": "من طرف أحد الكتفين إلى الآخر، مرورًا بخلف الرقبة.",
        "ms": "Ukur dari hujung bahu kiri ke hujung bahu kanan melalui belakang leher.",
    },
)  # fmt: skip
PANJANG_LENGAN = _field(
    "PANJANG_LENGAN", "15", "80",
    ("Panjang lengan", "Sleeve length", "Panjang lengan", "Kol boyu", "طول الكم"),
    {
        "id": "Ukur dari ujung bahu ke pergelangan tangan (atau panjang lengan yang diinginkan), lengan lurus.",
        "en": "From the shoulder tip to the wrist (or the wanted sleeve end), arm relaxed.",
        "ar": "من طرف الكتف إلى الرسغ (أو إلى نهاية الكم المطلوبة)، والذراع مرتخية.",
        "ms": "Ukur dari hujung bahu ke pergelangan tangan, lengan lurus.",
    },
)  # fmt: skip
LINGKAR_LENGAN = _field(
    "LINGKAR_LENGAN", "18", "60",
    ("Lingkar lengan", "Upper arm", "Lilitan lengan", "Kol çevresi", "محيط الذراع"),
    {
        "id": "Lingkarkan meteran di lengan atas paling besar, sekitar 3 cm di bawah ketiak.",
        "en": "Around the fullest part of the upper arm, about 3 cm below the armpit.",
        "ar": "حول أعرض جزء من أعلى الذراع، نحو 3 سم تحت الإبط.",
        "ms": "Lilitkan pita pada lengan atas paling besar.",
    },
)  # fmt: skip
LINGKAR_PERGELANGAN = _field(
    "LINGKAR_PERGELANGAN", "12", "32",
    ("Lingkar pergelangan tangan", "Wrist", "Lilitan pergelangan tangan", "Bilek çevresi", "محيط المعصم"),
    {
        "id": "Lingkarkan meteran di pergelangan tangan, di atas tulang pergelangan.",
        "en": "Around the wrist, just above the wrist bone.",
        "ar": "حول الرسغ، فوق عظمة الرسغ مباشرة.",
    },
)  # fmt: skip
PANJANG_BAJU = _field(
    "PANJANG_BAJU", "40", "170",
    ("Panjang baju", "Garment length", "Panjang baju", "Giysi boyu", "طول الثوب"),
    {
        "id": "Ukur dari titik bahu tertinggi dekat leher lurus ke bawah sampai panjang yang diinginkan.",
        "en": "From the highest point of the shoulder by the neck straight down to the wanted hem.",
        "ar": "من أعلى نقطة في الكتف بجانب الرقبة نزولًا مستقيمًا إلى الطول المطلوب.",
        "ms": "Ukur dari bahu tertinggi dekat leher lurus ke bawah hingga labuh yang dikehendaki.",
    },
)  # fmt: skip
PANJANG_PUNGGUNG = _field(
    "PANJANG_PUNGGUNG", "30", "58",
    ("Panjang punggung", "Back length", "Panjang belakang", "Sırt boyu", "طول الظهر"),
    {
        "id": "Ukur dari tulang leher belakang yang menonjol lurus ke bawah sampai garis pinggang.",
        "en": "From the prominent bone at the back of the neck straight down to the waistline.",
        "ar": "من العظمة البارزة خلف الرقبة نزولًا مستقيمًا إلى خط الخصر.",
        "ms": "Ukur dari tulang tengkuk lurus ke bawah hingga garis pinggang.",
    },
)  # fmt: skip
TINGGI_DADA = _field(
    "TINGGI_DADA", "18", "40",
    ("Tinggi dada", "Bust height", "Tinggi dada", "Göğüs yüksekliği", "ارتفاع الصدر"),
    {
        "id": "Ukur dari titik bahu dekat leher ke puncak dada.",
        "en": "From the shoulder point by the neck down to the bust point.",
        "ar": "من نقطة الكتف بجانب الرقبة نزولًا إلى قمة الصدر.",
    },
)  # fmt: skip
JARAK_DADA = _field(
    "JARAK_DADA", "12", "30",
    ("Jarak dada", "Bust point distance", "Jarak dada", "Göğüs ucu arası", "المسافة بين نقطتي الصدر"),
    {
        "id": "Ukur jarak mendatar antara kedua puncak dada.",
        "en": "Straight across from one bust point to the other.",
        "ar": "مستقيمًا من قمة أحد الثديين إلى الأخرى.",
    },
)  # fmt: skip
LINGKAR_PESAK = _field(
    "LINGKAR_PESAK", "50", "110",
    ("Lingkar pesak", "Crotch rise (front to back)", "Lilitan pesak", "Ağ çevresi", "محيط منطقة الحجر"),
    {
        "id": "Ukur dari pinggang depan melewati selangkangan sampai pinggang belakang.",
        "en": "From the front waist down through the crotch and up to the back waist.",
        "ar": "من الخصر الأمامي نزولًا بين الساقين ثم صعودًا إلى الخصر الخلفي.",
        "ms": "Ukur dari pinggang depan melalui celah kangkang ke pinggang belakang.",
    },
)  # fmt: skip
LINGKAR_PAHA = _field(
    "LINGKAR_PAHA", "35", "95",
    ("Lingkar paha", "Thigh", "Lilitan peha", "Uyluk çevresi", "محيط الفخذ"),
    {
        "id": "Lingkarkan meteran di paha paling besar, tepat di bawah selangkangan.",
        "en": "Around the fullest part of the thigh, just below the crotch.",
        "ar": "حول أعرض جزء من الفخذ، تحت منطقة ما بين الساقين مباشرة.",
        "ms": "Lilitkan pita pada peha paling besar, di bawah celah kangkang.",
    },
)  # fmt: skip
LINGKAR_LUTUT = _field(
    "LINGKAR_LUTUT", "28", "65",
    ("Lingkar lutut", "Knee", "Lilitan lutut", "Diz çevresi", "محيط الركبة"),
    {
        "id": "Lingkarkan meteran di lutut, kaki lurus.",
        "en": "Around the knee, leg straight.",
        "ar": "حول الركبة، والساق مستقيمة.",
    },
)  # fmt: skip
LINGKAR_KAKI = _field(
    "LINGKAR_KAKI", "28", "70",
    ("Lingkar kaki (pipa celana)", "Leg opening", "Lilitan kaki seluar", "Paça genişliği", "محيط فتحة الساق"),
    {
        "id": "Lingkar bawah celana yang diinginkan, biasanya diukur dari celana yang pas.",
        "en": "The wanted hem opening, usually taken from a pair of trousers that fits.",
        "ar": "فتحة الذيل المطلوبة، وتؤخذ عادة من بنطال مناسب المقاس.",
    },
)  # fmt: skip
PANJANG_CELANA = _field(
    "PANJANG_CELANA", "60", "125",
    ("Panjang celana", "Trousers length (outseam)", "Panjang seluar", "Pantolon boyu", "طول البنطال"),
    {
        "id": "Ukur dari pinggang samping lurus ke bawah sampai mata kaki atau panjang yang diinginkan.",
        "en": "From the side of the waist straight down to the ankle or the wanted length.",
        "ar": "من جانب الخصر نزولًا مستقيمًا إلى الكاحل أو الطول المطلوب.",
        "ms": "Ukur dari sisi pinggang lurus ke bawah hingga buku lali.",
    },
)  # fmt: skip
LINGKAR_WAJAH = _field(
    "LINGKAR_WAJAH", "45", "75",
    ("Lingkar wajah", "Face opening", "Lilitan muka", "Yüz çevresi", "محيط الوجه"),
    {
        "id": "Lingkarkan meteran dari dahi melewati pipi dan bawah dagu, seperti bukaan mukena.",
        "en": "Around the face from the forehead past the cheeks and under the chin, where the opening sits.",
        "ar": "حول الوجه من الجبهة مرورًا بالوجنتين وتحت الذقن، حيث تكون فتحة الوجه.",
        "ms": "Lilitkan pita dari dahi melalui pipi dan bawah dagu.",
    },
)  # fmt: skip
PANJANG_ATASAN = _field(
    "PANJANG_ATASAN", "80", "150",
    ("Panjang atasan", "Top length", "Panjang atas", "Üst parça boyu", "طول الجزء العلوي"),
    {
        "id": "Ukur dari puncak kepala lurus ke bawah sampai ujung atasan yang diinginkan (biasanya ujung jari).",
        "en": "From the top of the head straight down to where the top should end (usually the fingertips).",
        "ar": "من أعلى الرأس نزولًا مستقيمًا إلى حيث ينتهي الغطاء (عادة أطراف الأصابع).",
    },
)  # fmt: skip
PANJANG_ROK = _field(
    "PANJANG_ROK", "70", "125",
    ("Panjang rok", "Skirt length", "Panjang kain", "Etek boyu", "طول التنورة"),
    {
        "id": "Ukur dari pinggang lurus ke bawah sampai mata kaki atau lantai.",
        "en": "From the waist straight down to the ankle or the floor.",
        "ar": "من الخصر نزولًا مستقيمًا إلى الكاحل أو الأرض.",
    },
)  # fmt: skip


def _names(*names: str) -> dict[str, str]:
    return dict(zip(LANGUAGES, names, strict=True))


BUILT_IN: tuple[TypeSpec, ...] = (
    TypeSpec(
        "SHIRT",
        _names("Kemeja", "Shirt", "Kemeja", "Gömlek", "قميص"),
        (
            LINGKAR_LEHER.ranged("30", "56"),
            LINGKAR_BADAN.ranged("70", "160"),
            LINGKAR_PINGGANG.ranged("55", "160"),
            LINGKAR_PANGGUL.ranged("70", "170", required=False),
            LEBAR_BAHU.ranged("34", "60"),
            PANJANG_LENGAN.ranged("18", "75"),
            LINGKAR_LENGAN.ranged("22", "56"),
            LINGKAR_PERGELANGAN.ranged("14", "30", required=False),
            PANJANG_BAJU.ranged("55", "100"),
        ),
    ),
    TypeSpec(
        "TROUSERS",
        _names("Celana panjang", "Trousers", "Seluar panjang", "Pantolon", "بنطال"),
        (
            LINGKAR_PINGGANG.ranged("50", "160"),
            LINGKAR_PANGGUL.ranged("65", "180"),
            LINGKAR_PESAK.ranged("50", "110"),
            LINGKAR_PAHA.ranged("35", "95"),
            LINGKAR_LUTUT.ranged("28", "65", required=False),
            LINGKAR_KAKI.ranged("28", "70", required=False),
            PANJANG_CELANA.ranged("60", "125"),
        ),
    ),
    TypeSpec(
        "GAMIS",
        _names("Gamis", "Gamis (long dress)", "Gamis (jubah labuh)", "Uzun elbise (gamis)", "جلابية نسائية"),
        (
            LINGKAR_BADAN.ranged("65", "170"),
            LINGKAR_PINGGANG.ranged("50", "160"),
            LINGKAR_PANGGUL.ranged("70", "180"),
            LEBAR_BAHU.ranged("30", "60"),
            PANJANG_LENGAN.ranged("45", "75"),
            LINGKAR_LENGAN.ranged("20", "60"),
            LINGKAR_PERGELANGAN.ranged("12", "32", required=False),
            PANJANG_PUNGGUNG.ranged("30", "55", required=False),
            PANJANG_BAJU.ranged("110", "165"),
        ),
    ),
    TypeSpec(
        "ABAYA",
        _names("Abaya", "Abaya", "Abaya", "Abaya", "عباءة"),
        (
            LINGKAR_BADAN.ranged("65", "170"),
            LINGKAR_PINGGANG.ranged("50", "160", required=False),
            LINGKAR_PANGGUL.ranged("70", "180"),
            LEBAR_BAHU.ranged("30", "60"),
            PANJANG_LENGAN.ranged("45", "80"),
            LINGKAR_LENGAN.ranged("20", "60"),
            LINGKAR_PERGELANGAN.ranged("12", "32", required=False),
            PANJANG_BAJU.ranged("120", "170"),
        ),
    ),
    TypeSpec(
        "BAJU_KOKO",
        _names(
            "Baju koko",
            "Baju koko (collarless men's shirt)",
            "Baju koko",
            "Baju koko (yakasız erkek gömleği)",
            "قميص كوكو (قميص رجالي بلا ياقة)",
        ),
        (
            LINGKAR_LEHER.ranged("32", "56"),
            LINGKAR_BADAN.ranged("75", "160"),
            LINGKAR_PINGGANG.ranged("60", "160", required=False),
            LINGKAR_PANGGUL.ranged("75", "170", required=False),
            LEBAR_BAHU.ranged("36", "62"),
            PANJANG_LENGAN.ranged("18", "75"),
            LINGKAR_LENGAN.ranged("24", "56"),
            PANJANG_BAJU.ranged("60", "105"),
        ),
    ),
    TypeSpec(
        "KEBAYA",
        _names("Kebaya", "Kebaya (fitted blouse)", "Kebaya", "Kebaya (dar kesim bluz)", "كبايا (بلوزة تقليدية)"),
        (
            LINGKAR_BADAN.ranged("65", "160"),
            LINGKAR_PINGGANG.ranged("50", "150"),
            LINGKAR_PANGGUL.ranged("70", "170"),
            LINGKAR_LEHER.ranged("28", "50", required=False),
            LEBAR_BAHU.ranged("30", "56"),
            PANJANG_PUNGGUNG.ranged("30", "50"),
            TINGGI_DADA.ranged("18", "40", required=False),
            JARAK_DADA.ranged("12", "30", required=False),
            PANJANG_LENGAN.ranged("20", "70"),
            LINGKAR_LENGAN.ranged("20", "56"),
            PANJANG_BAJU.ranged("45", "120"),
        ),
    ),
    TypeSpec(
        "TUNIK",
        _names("Tunik", "Tunic", "Tunik", "Tunik", "تونيك"),
        (
            LINGKAR_BADAN.ranged("65", "170"),
            LINGKAR_PINGGANG.ranged("50", "160"),
            LINGKAR_PANGGUL.ranged("70", "180"),
            LEBAR_BAHU.ranged("30", "60"),
            PANJANG_LENGAN.ranged("20", "75"),
            LINGKAR_LENGAN.ranged("20", "60", required=False),
            PANJANG_BAJU.ranged("70", "115"),
        ),
    ),
    TypeSpec(
        "MUKENA",
        _names("Mukena", "Mukena (women's prayer garment)", "Telekung", "Namaz örtüsü (mukena)", "إسدال الصلاة"),
        (
            LINGKAR_WAJAH.ranged("45", "75"),
            PANJANG_ATASAN.ranged("80", "150"),
            LINGKAR_PANGGUL.ranged("70", "180", required=False),
            PANJANG_ROK.ranged("70", "125"),
        ),
    ),
)
