// The words of search, filters, size chart, voucher and card payment, in the shop's four languages; a module of
// their own beside i18n.ts so each part of the shop keeps its texts together.
import type { Lang } from "./i18n";
import { useShop } from "./state";

const en = {
  search: "Search products",
  searchButton: "Search",
  suggestions: "Suggestions",
  noMatches: "No product matches.",
  allResults: (n: number) => `All ${n} results`,
  resultsFor: (q: string) => `Results for “${q}”`,
  filters: "Filters",
  fabric: "Fabric",
  price: "Price",
  priceMin: "Lowest price",
  priceMax: "Highest price",
  clearFilters: "Clear filters",
  nothingFound: "No product matches these filters.",
  sizeChart: "Size chart",
  sizeChartCaption: "Body measurements in centimetres",
  measurements: { LD: "Chest", PB: "Body length", PL: "Sleeve length", LP: "Hips", LPi: "Waist" } as Record<
    string,
    string
  >,
  voucher: "Voucher code",
  applyVoucher: "Apply",
  removeVoucher: "Remove voucher",
  discount: "Discount",
  card: "Card",
  cardDetails: "Card details",
  payNow: "Pay now",
  paying: "Paying…",
  paid: "Paid",
};

export type BrowseMessages = { [K in keyof typeof en]: (typeof en)[K] extends string ? string : (typeof en)[K] };

const id: BrowseMessages = {
  search: "Cari produk",
  searchButton: "Cari",
  suggestions: "Saran",
  noMatches: "Tidak ada produk yang cocok.",
  allResults: (n) => `Semua ${n} hasil`,
  resultsFor: (q) => `Hasil untuk “${q}”`,
  filters: "Filter",
  fabric: "Bahan",
  price: "Harga",
  priceMin: "Harga terendah",
  priceMax: "Harga tertinggi",
  clearFilters: "Hapus filter",
  nothingFound: "Tidak ada produk yang cocok dengan filter ini.",
  sizeChart: "Tabel ukuran",
  sizeChartCaption: "Ukuran badan dalam sentimeter",
  measurements: { LD: "Lingkar dada", PB: "Panjang badan", PL: "Panjang lengan", LP: "Lingkar pinggul", LPi: "Lingkar pinggang" },
  voucher: "Kode voucher",
  applyVoucher: "Pakai",
  removeVoucher: "Hapus voucher",
  discount: "Diskon",
  card: "Kartu",
  cardDetails: "Data kartu",
  payNow: "Bayar sekarang",
  paying: "Membayar…",
  paid: "Lunas",
};

const ms: BrowseMessages = {
  ...id,
  search: "Cari produk",
  noMatches: "Tiada produk yang sepadan.",
  allResults: (n) => `Semua ${n} hasil`,
  nothingFound: "Tiada produk yang sepadan dengan penapis ini.",
  filters: "Penapis",
  clearFilters: "Kosongkan penapis",
  sizeChart: "Carta saiz",
  sizeChartCaption: "Ukuran badan dalam sentimeter",
  voucher: "Kod baucar",
  removeVoucher: "Buang baucar",
  card: "Kad",
  cardDetails: "Butiran kad",
  paid: "Dibayar",
};

const ar: BrowseMessages = {
  search: "ابحث عن المنتجات",
  searchButton: "بحث",
  suggestions: "اقتراحات",
  noMatches: "لا يوجد منتج مطابق.",
  allResults: (n) => `كل النتائج (${n})`,
  resultsFor: (q) => `نتائج «${q}»`,
  filters: "التصفية",
  fabric: "القماش",
  price: "السعر",
  priceMin: "أدنى سعر",
  priceMax: "أعلى سعر",
  clearFilters: "مسح التصفية",
  nothingFound: "لا يوجد منتج يطابق هذه التصفية.",
  sizeChart: "جدول المقاسات",
  sizeChartCaption: "قياسات الجسم بالسنتيمتر",
  measurements: { LD: "محيط الصدر", PB: "طول الجسم", PL: "طول الكم", LP: "محيط الورك", LPi: "محيط الخصر" },
  voucher: "رمز القسيمة",
  applyVoucher: "تطبيق",
  removeVoucher: "إزالة القسيمة",
  discount: "الخصم",
  card: "بطاقة",
  cardDetails: "بيانات البطاقة",
  payNow: "ادفع الآن",
  paying: "جارٍ الدفع…",
  paid: "مدفوع",
};

const MESSAGES: Record<Lang, BrowseMessages> = { id, en, ms, ar };

export function useBrowseText(): BrowseMessages {
  return MESSAGES[useShop().lang];
}
