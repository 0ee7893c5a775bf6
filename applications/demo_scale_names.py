"""Words the data at scale (demo_scale.py) builds its names and titles from: Kazakh, Russian and
English firm names, people's names as they appear in Kazakhstan, cities, and products by activity.

Each firm-name part is (English, Russian, Kazakh). Used only by `seed_demo --applications N`.
"""

from applications.enums import ActivityCategory

# fmt: off
FIRM_STEMS = (
    ("Altyn", "Алтын", "Алтын"), ("Dala", "Дала", "Дала"), ("Saryarka", "Сарыарка", "Сарыарқа"),
    ("Nomad", "Номад", "Номад"), ("Tengri", "Тенгри", "Тәңірі"), ("Baiterek", "Байтерек", "Бәйтерек"),
    ("Kyran", "Кыран", "Қыран"), ("Tumar", "Тумар", "Тұмар"), ("Ulytau", "Улытау", "Ұлытау"),
    ("Shanyrak", "Шанырак", "Шаңырақ"), ("Samruk", "Самрук", "Самұрық"), ("Aksu", "Аксу", "Ақсу"),
    ("Burabay", "Бурабай", "Бурабай"), ("Kaspiy", "Каспий", "Каспий"), ("Ertis", "Ертис", "Ертіс"),
    ("Zhetysu", "Жетысу", "Жетісу"), ("Kokshe", "Кокше", "Көкше"), ("Altai", "Алтай", "Алтай"),
    ("Tulpar", "Тулпар", "Тұлпар"), ("Kumis", "Кумис", "Күміс"), ("Aray", "Арай", "Арай"),
    ("Kemel", "Кемел", "Кемел"), ("Orda", "Орда", "Орда"), ("Silk Way", "Силк Вэй", "Жібек Жолы"),
    ("Steppe", "Степь", "Дала Жолы"), ("Qazaq", "Казак", "Қазақ"), ("Astana", "Астана", "Астана"),
    ("Almaty", "Алматы", "Алматы"), ("Turan", "Туран", "Тұран"), ("Sunkar", "Сункар", "Сұңқар"),
    ("Bereke", "Береке", "Береке"), ("Yrys", "Ырыс", "Ырыс"), ("Kazyna", "Казына", "Қазына"),
    ("Temir", "Темир", "Темір"), ("Nur", "Нур", "Нұр"), ("Zhuldyz", "Жулдыз", "Жұлдыз"),
)
FIRM_TRADES = (
    ("Pay", "Пэй", "Пэй"), ("Capital", "Кэпитал", "Кэпитал"), ("Digital", "Диджитал", "Диджитал"),
    ("Finance", "Финанс", "Финанс"), ("Ledger", "Леджер", "Леджер"), ("Custody", "Кастоди", "Кастоди"),
    ("Exchange", "Эксчейндж", "Эксчейндж"), ("Lending", "Лендинг", "Лендинг"), ("Tech", "Тех", "Тех"),
    ("Labs", "Лабс", "Лабс"), ("Token", "Токен", "Токен"), ("Invest", "Инвест", "Инвест"),
    ("Wallet", "Уоллет", "Уоллет"), ("Remit", "Ремит", "Ремит"), ("Chain", "Чейн", "Чейн"),
    ("Compliance", "Комплаенс", "Комплаенс"),
)
# Legal form: (English suffix, Russian prefix, Kazakh suffix, LegalForm value)
FIRM_FORMS = (
    ("LLP", "ТОО", "ЖШС", "llp"), ("LLP", "ТОО", "ЖШС", "llp"), ("LLP", "ТОО", "ЖШС", "llp"),
    ("JSC", "АО", "АҚ", "jsc"),
)
STREETS = (
    "Dostyk Ave", "Abay Ave", "Al-Farabi Ave", "Kabanbay Batyr Ave", "Mangilik El Ave",
    "Tole Bi St", "Zheltoksan St", "Satpayev St", "Kunayev St", "Syganak St", "Turan Ave",
    "Respublika Ave", "Baitursynov St", "Gogol St", "Seifullin Ave",
)
# (city, postcode prefix)
CITIES = (
    ("Almaty", "0500"), ("Astana", "0100"), ("Shymkent", "1600"), ("Karaganda", "1000"),
    ("Aktobe", "0300"), ("Atyrau", "0600"), ("Pavlodar", "1400"), ("Oskemen", "0700"),
    ("Taraz", "0800"), ("Kostanay", "1100"), ("Semey", "0710"), ("Aktau", "1300"),
    ("Kyzylorda", "1200"), ("Petropavl", "1500"), ("Turkistan", "1612"), ("Oral", "0900"),
)
MALE_NAMES = (
    "Nurlan", "Yerlan", "Askar", "Daniyar", "Marat", "Timur", "Arman", "Yerzhan", "Berik", "Serik",
    "Azamat", "Bauyrzhan", "Dias", "Alibek", "Aidar", "Ruslan", "Sanzhar", "Yerbol", "Olzhas",
    "Kairat", "Dmitry", "Sergey", "Alexey", "Andrey", "Maksim", "Ivan", "Chingiz", "Zhandos",
)
FEMALE_NAMES = (
    "Aruzhan", "Aigerim", "Dana", "Saule", "Gulnara", "Madina", "Aliya", "Zhanna", "Dinara",
    "Asel", "Kamila", "Aizhan", "Togzhan", "Ainur", "Balzhan", "Moldir", "Elena", "Olga",
    "Natalya", "Anna", "Yekaterina", "Zarina", "Karina", "Akmaral",
)
# Surnames in their masculine form; "-ov", "-ev" and "-in" take an "a" for women.
SURNAMES = (
    "Akhmetov", "Seitkali", "Abenov", "Iskakov", "Zhakupov", "Omarov", "Nurlanov", "Kasymov",
    "Suleimenov", "Bekov", "Tokayev", "Ospanov", "Sarsenov", "Mukhamedzhanov", "Baimukhamedov",
    "Zhumabayev", "Kenzhebekov", "Yessenov", "Tulegenov", "Dzhaksybekov", "Amanzholov",
    "Ibraimov", "Karimov", "Sadykov", "Utegenov", "Nurpeisov", "Ivanov", "Petrov", "Kim", "Ten",
    "Li", "Smagulov", "Bekmukhambetov", "Satpayev", "Aubakirov", "Shaikenov",
)
# Per activity: products and who they are for; titles read "<product> for <market>".
PRODUCTS = {
    ActivityCategory.PAYMENTS: (
        "QR stablecoin payments", "Instant tenge settlement", "Cross-border remittances",
        "Merchant acquiring on a public ledger", "Card-linked crypto cashback", "Payroll in USDT",
    ),
    ActivityCategory.DA_EXCHANGE: (
        "Spot exchange for tokenised gold", "Regulated OTC desk", "Tenge on-ramp",
        "Bitcoin ATM network", "Brokerage for digital assets",
    ),
    ActivityCategory.DA_CUSTODY: (
        "Multi-signature custody", "Cold-storage custody", "Institutional custody",
        "Self-custody wallet with recovery",
    ),
    ActivityCategory.STABLECOIN: (
        "KZT-backed stablecoin", "Tenge stablecoin settlement", "Gold-backed token",
    ),
    ActivityCategory.TOKENISATION: (
        "Tokenised warehouse receipts", "Tokenised real-estate shares", "Green bonds on a ledger",
        "Tokenised carbon credits", "Tokenised invoices",
    ),
    ActivityCategory.LENDING: (
        "Peer-to-peer SME lending", "Crypto-collateralised loans", "Invoice financing",
        "Buy-now-pay-later", "Microloans scored on open-banking data",
    ),
    ActivityCategory.REGTECH: (
        "AML transaction monitoring", "e-KYC reuse", "Sanctions screening as a service",
        "Travel-rule messaging",
    ),
    ActivityCategory.OTHER: (
        "Robo-advice for digital-asset portfolios", "Micro-insurance paid in stablecoins",
        "NFT ticketing", "Digital-asset tax reporting",
    ),
}
MARKETS = (
    "bazaars in Shymkent", "SMEs in Karaganda", "farmers in Kostanay", "students in Almaty",
    "IT park residents", "hotels in Burabay", "migrant workers", "Alatau cafés",
    "grain traders", "oil-field contractors in Atyrau", "e-commerce sellers", "tourists in Astana",
    "retail investors", "pension savers", "freelancers", "logistics firms in Aktobe",
    "importers from China", "the Uzbekistan corridor", "the Kyrgyzstan corridor", "exporters",
)
SUMMARIES = (
    "A product for clients in Kazakhstan that the current rules do not provide for.",
    "Clients pay and are paid in tenge through a partner bank; digital assets stay with a licensed custodian.",
    "A service that replaces paper and cash with settlement on a permissioned ledger.",
    "A cheaper, faster alternative to what banks offer these clients today.",
)
RATIONALES = (
    "Evidence thin; see the business plan, section 4.",
    "Well argued, with figures from the pilot.",
    "Credible, but the volumes are optimistic.",
    "The comparison with existing products is convincing.",
    "The limits proposed are prudent for a first test.",
    "Needs the signed agreement with the partner bank.",
)
REVIEW_SUMMARIES = {
    "proceed": (
        "A credible team and a real need; the test limits are prudent.",
        "Genuinely new for Kazakhstan and ready to test; proceed with conditions.",
        "Strong test plan and exit strategy; the risks are understood.",
    ),
    "reject": (
        "The need for the sandbox is not shown and the exit plan is thin.",
        "The product can be offered under the current rules; no sandbox needed.",
        "Funding for 12 months is not evidenced; the team is not ready.",
    ),
}
RECUSAL_REASONS = (
    "I advised the founders in 2024 (paid engagement).",
    "A close relative is a shareholder.",
    "I worked for the firm's parent company until last year.",
    "I sit on the board of a direct competitor.",
)
WITHDRAWAL_REASONS = (
    "We decided to apply for a full licence instead.",
    "The partner bank withdrew; we will reapply next intake.",
    "The product was sold to another firm.",
    "We could not raise the funds for 12 months of operating costs.",
)
NOT_ELIGIBLE_REASONS = (
    "The activity is not one that Article 51-5 covers.",
    "The firm does not offer the product to clients in Kazakhstan.",
    "The product can be offered under the current rules; the sandbox is not needed.",
)
RFI_QUESTIONS = (
    "Please send the signed custody agreement with your partner bank and explain how client assets are segregated.",
    "Please explain how you identify clients remotely and which databases you check.",
    "Please send evidence of funds for 12 months of operating costs.",
    "Please give the per-client and aggregate limits you propose, with the reasoning.",
)
RFI_ANSWERS = (
    "The signed agreement is attached; client assets sit in segregated wallets.",
    "Clients are identified through eGov digital ID and checked against the AFM lists.",
    "Bank statements for the last three months are attached.",
)
# fmt: on
