"""The demo's content: two real-world programmes, their criteria and documents, and a few people.

Modelled on the NBK special regulatory regime (Law on the National Bank, Art. 51-5) and the AIFC
FinTech Lab; sources in shared/reference/sandbox-domain.md (§1, §3 criteria, §7 deadlines, §8
documents). Used only by the seed_demo and demo_totp commands.
"""

from dataclasses import dataclass
from decimal import Decimal

from applications.enums import ActivityCategory, ClientType, Currency, IntakeMode, Track
from portal.accounts.models import LegalForm, PersonRole, Role

NBK_PROGRAMME = {
    "code": "nbk-da-special-regime",
    "name_en": "NBK special regulatory regime: digital assets",
    "name_ru": "Особый режим регулирования НБК: цифровые активы",
    "name_kk": "ҚРҰБ ерекше реттеу режимі: цифрлық активтер",
    "description_en": (
        "The National Bank's sandbox under Article 51-5 of the Law on the National Bank, opened in "
        "2025 to payment-service providers and non-financial companies working with digital assets. "
        "Admitted firms test with real clients under an agreement with the NBK, within agreed limits, "
        "and tell their clients that the service is being tested."
    ),
    "description_ru": (
        "Регуляторная песочница Национального Банка по статье 51-5 Закона о Национальном Банке, "
        "открытая в 2025 году для поставщиков платёжных услуг и нефинансовых компаний, работающих с "
        "цифровыми активами. Участники тестируют продукт с реальными клиентами по договору с НБК, в "
        "согласованных лимитах, и уведомляют клиентов о тестировании."
    ),
    "description_kk": (
        "Ұлттық Банк туралы Заңның 51-5-бабы бойынша Ұлттық Банктің реттеушілік құмсалғышы: 2025 "
        "жылдан бастап төлем қызметтерін жеткізушілер мен цифрлық активтермен жұмыс істейтін қаржылық "
        "емес компаниялар үшін ашық. Қатысушылар өнімді ҚРҰБ-мен шарт бойынша, келісілген лимиттер "
        "шегінде нақты клиенттермен сынайды және клиенттерді тестілеу туралы хабардар етеді."
    ),
    "regulator": "National Bank of Kazakhstan",
    "legal_basis": "Law on the National Bank of the Republic of Kazakhstan, Art. 51-5 (as amended by Law No. 205-VIII of 30.06.2025)",
    "intake_mode": IntakeMode.COHORT,
    "reviews_required": 2,
    # §7 defaults, in working days on the Kazakh calendar, and months for the test itself.
    "screening_days": 5,
    "rfi_answer_days": 10,
    "eligibility_days": 15,
    "evaluation_days": 21,
    "decision_days": 15,
    "notify_days": 3,
    "default_test_months": 12,
    "max_test_months": 24,
    "max_extensions": 1,
    "max_extension_months": 6,
    "extension_notice_days": 60,
}

AIFC_PROGRAMME = {
    **NBK_PROGRAMME,
    "code": "aifc-fintech-lab-testing",
    "name_en": "AIFC FinTech Lab: testing track",
    "name_ru": "Финтех-лаборатория МФЦА: тестирование",
    "name_kk": "АХҚО финтех-зертханасы: тестілеу",
    "description_en": (
        "The Astana Financial Services Authority's FinTech Lab. Applications are accepted all year; "
        "a case officer is assigned at pre-application and the licence lasts two years."
    ),
    "description_ru": (
        "Финтех-лаборатория Комитета МФЦА по регулированию финансовых услуг. Заявки принимаются "
        "круглый год; куратор назначается на этапе предварительной заявки, лицензия действует два года."
    ),
    "description_kk": (
        "АХҚО Қаржылық қызметтер көрсетуді реттеу комитетінің финтех-зертханасы. Өтінімдер жыл бойы "
        "қабылданады; алдын ала өтінім кезеңінде куратор тағайындалады, лицензия екі жыл жарамды."
    ),
    "regulator": "Astana Financial Services Authority (AFSA)",
    "legal_basis": "AIFC Financial Technology Rules (FINTECH), in force since 15.03.2019",
    "intake_mode": IntakeMode.ROLLING,
    "default_test_months": 24,
}

CRYPTOCITY_COHORT = {"name": "2026-2 CryptoCity", "zone_tag": "CryptoCity / Alatau", "capacity": 20}
CRYPTOCITY_OPEN_DAYS_AGO = 7
CRYPTOCITY_CLOSES_IN_DAYS = 61
AIFC_COHORT = {"name": "Rolling intake", "zone_tag": "AIFC", "capacity": 50}

# code, weight, gate, (en, ru, kk), guidance. Weights add up to 100. Gates are the criteria a
# firm must meet whatever it scores elsewhere: in scope (Art. 51-5), a real need for the
# sandbox (the FCA's most frequent reason to decline) and fit and proper (NBK Res. 235).
# One criterion, document or person a line: the data reads as a table.
# fmt: off
CRITERIA = (
    ("SCOPE", 5, True, ("In scope and local nexus", "Соответствие режиму и связь с Казахстаном", "Режимге сәйкестік және Қазақстанмен байланыс"),
     "A digital-asset or payment activity that Art. 51-5 covers, offered to clients in Kazakhstan."),
    ("INNOV", 15, False, ("Genuine innovation", "Подлинная инновационность", "Нақты инновация"),
     "Few or no comparable products in Kazakhstan; a clear step beyond what exists."),
    ("BENEFIT", 15, False, ("Consumer or market benefit", "Польза для потребителей или рынка", "Тұтынушылар немесе нарық үшін пайда"),
     "A better deal for clients (price, speed, access) with the risks identified and mitigated."),
    ("NEED", 10, True, ("Genuine need for the sandbox", "Реальная потребность в песочнице", "Құмсалғышқа нақты қажеттілік"),
     "The product cannot be offered under the current rules; the rules to relax are named. Not a way around regulation."),
    ("READY", 10, False, ("Readiness to test live", "Готовность к тестированию с клиентами", "Клиенттермен тестілеуге дайындық"),
     "Product, team and systems ready for real clients; a good-faith study of the regulatory obligations."),
    ("TESTPLAN", 15, False, ("Test plan and boundaries", "План и границы тестирования", "Тестілеу жоспары мен шектері"),
     "Objectives and KPIs, duration, client numbers and types, limits, milestones and a reporting schedule."),
    ("RISK", 10, False, ("Risks and safeguards", "Риски и меры защиты", "Тәуекелдер және қорғау шаралары"),
     "Risks to clients and the market assessed; safeguards, client disclosure and complaints handling in place."),
    ("EXIT", 10, False, ("Exit and transition strategy", "Стратегия выхода", "Шығу стратегиясы"),
     "How clients are made whole if the test stops, and the route to a full licence if it succeeds."),
    ("FIT", 5, True, ("Fit and proper, resources, soundness", "Деловая репутация, ресурсы и финансовая устойчивость", "Іскерлік бедел, ресурстар және қаржылық тұрақтылық"),
     "Founders and managers of good repute; funds for at least 12 months of operating costs."),
    ("DEPLOY", 5, False, ("Intent to deploy in Kazakhstan", "Намерение работать в Казахстане после теста", "Тестілеуден кейін Қазақстанда жұмыс істеу ниеті"),
     "A credible plan to offer the product in Kazakhstan at scale after the test."),
)
# fmt: on


@dataclass(frozen=True)
class Doc:
    code: str
    names: tuple[str, str, str]  # en, ru, kk
    mandatory: bool
    extensions: str = "pdf"
    help_en: str = ""


# §8 "Pre-application" and "Full application": mandatory (M) ones are mandatory, conditional (C)
# and optional (O) ones are not; the help text says when a conditional one is expected.
# fmt: off
DOCUMENTS = (
    Doc("registration-certificate", ("Certificate of state registration (BIN)", "Справка о государственной регистрации (БИН)", "Мемлекеттік тіркеу туралы анықтама (БСН)"), True),
    Doc("charter", ("Charter / articles of association", "Устав", "Жарғы"), True),
    Doc("business-plan", ("Business plan", "Бизнес-план", "Бизнес-жоспар"), True, "pdf,docx,xlsx"),
    Doc("key-persons-id-cv", ("ID and CV of directors, controllers and beneficial owners", "Удостоверения личности и резюме руководителей, контролёров и бенефициаров", "Басшылардың, бақылаушылардың және бенефициарлардың жеке куәліктері мен түйіндемелері"), True),
    Doc("source-of-funds", ("Source of funds and source of wealth declaration", "Декларация об источниках средств и состояния", "Қаражат пен байлық көздері туралы декларация"), True, "pdf,docx"),
    Doc("power-of-authority", ("Power of authority of the person filing", "Доверенность лица, подающего заявку", "Өтінім берушінің сенімхаты"), True),
    Doc("ownership-chart", ("Ownership and group structure chart", "Схема собственности и структуры группы", "Меншік және топ құрылымының сызбасы"), True),
    Doc("money-flow-diagram", ("Product and money-flow diagram", "Схема продукта и движения денег", "Өнім және ақша қозғалысының сызбасы"), True),
    Doc("fee-payment-proof", ("Proof of fee payment", "Подтверждение оплаты сбора", "Алымның төленгенін растау"), False, help_en="Only if the programme charges a fee."),
    Doc("foreign-licences", ("Licences held abroad", "Лицензии, полученные за рубежом", "Шетелде алынған лицензиялар"), False, help_en="If you are regulated in another country."),
    Doc("test-plan", ("Test plan", "План тестирования", "Тестілеу жоспары"), True, "pdf,docx"),
    Doc("risk-assessment", ("Risk assessment and safeguards", "Оценка рисков и меры защиты", "Тәуекелдерді бағалау және қорғау шаралары"), True, "pdf,docx"),
    Doc("aml-cft-policy", ("AML/CFT policies and procedures, including KYC", "Политика и процедуры ПОД/ФТ, включая KYC", "КЖ/ТҚҚ саясаты мен рәсімдері, KYC қоса алғанда"), True, "pdf,docx"),
    Doc("client-agreement", ("Client agreement with risk disclosure and sandbox notice", "Договор с клиентом с раскрытием рисков и уведомлением о тестировании", "Тәуекелдерді ашу және тестілеу туралы хабарламасы бар клиентпен шарт"), True, "pdf,docx"),
    Doc("exit-strategy", ("Exit strategy (signed)", "Стратегия выхода (подписанная)", "Шығу стратегиясы (қол қойылған)"), True),
    Doc("complaints-procedure", ("Complaints handling procedure", "Порядок рассмотрения жалоб", "Шағымдарды қарау тәртібі"), True, "pdf,docx"),
    Doc("it-security-bcp", ("IT security and business continuity statement", "Заявление об ИТ-безопасности и непрерывности бизнеса", "АТ қауіпсіздігі және бизнестің үздіксіздігі туралы мәлімдеме"), True),
    Doc("opex-funding-evidence", ("Evidence of funds for 12 months of operating costs", "Подтверждение средств на 12 месяцев операционных расходов", "12 айлық операциялық шығындарға қаражаттың барын растау"), True, "pdf,xlsx"),
    Doc("financial-statements", ("Financial statements for the last 2 years", "Финансовая отчётность за последние 2 года", "Соңғы 2 жылдағы қаржылық есептілік"), False, "pdf,xlsx", "If the company is 2 years old or more."),
    Doc("outsourcing-agreements", ("Outsourcing agreements", "Договоры аутсорсинга", "Аутсорсинг шарттары"), False, help_en="If you outsource material functions."),
    Doc("bank-partner-agreement", ("Agreement with the partner bank", "Договор с банком-партнёром", "Серіктес банкпен шарт"), False, help_en="If clients pay in or withdraw in tenge or another fiat currency."),
    Doc("whitepaper", ("Whitepaper and tokenomics", "White paper и токеномика", "White paper және токеномика"), False, help_en="If you issue a token."),
    Doc("smart-contract-audit", ("Smart-contract or security audit report", "Отчёт об аудите смарт-контрактов или безопасности", "Смарт-келісімшарттар немесе қауіпсіздік аудитінің есебі"), False, help_en="For products that run on a blockchain."),
    Doc("legal-opinion", ("Legal opinion", "Юридическое заключение", "Заңгерлік қорытынды"), False),
    Doc("pitch-deck", ("Pitch deck", "Презентация проекта", "Жоба презентациясы"), False),
    Doc("letters-of-support", ("Letters of support", "Письма поддержки", "Қолдау хаттары"), False),
)
# fmt: on
DOCUMENT_MAX_MB = 20
# The AIFC FinTech Lab charges a USD 100 pre-application fee (FINTECH 2.4.2): there it is mandatory.
AIFC_MANDATORY_DOCUMENTS = frozenset({"fee-payment-proof"})


@dataclass(frozen=True)
class Login:
    email: str
    full_name: str
    role: Role


APPLICANT = Login("aruzhan@steppe-ledger.example", "Aruzhan Seitkali", Role.APPLICANT)
STAFF = (
    Login("daniyar.abenov@nbk-sandbox.example", "Daniyar Abenov", Role.REVIEWER),
    Login("saule.zhakupova@nbk-sandbox.example", "Saule Zhakupova", Role.REVIEWER),
    Login("marat.iskakov@nbk-sandbox.example", "Marat Iskakov", Role.PROGRAMME_ADMIN),
)
LOGINS = (APPLICANT, *STAFF)
DEMO_EMAILS = frozenset(login.email for login in LOGINS)
DEMO_STAFF_EMAILS = frozenset(login.email for login in STAFF)
# Printed by seed_demo and usable only while settings.DEBUG is on (the command refuses otherwise).
DEBUG_PASSWORD = "Sandbox-demo-2026"  # noqa: S105 - a documented demo password, never used without DEBUG

ORGANISATION = {
    "legal_name_en": "Steppe Ledger LLP",
    "legal_name_ru": "ТОО «Степь Леджер»",
    "legal_name_kk": "«Дала Леджер» ЖШС",
    "legal_form": LegalForm.LLP,
    "bin": "240340123450",  # registered March 2024, resident legal entity, head office; check digit 0
    "address": "Dostyk Ave 38, office 1204, Almaty 050010",
    "website": "https://steppe-ledger.example",
}
# fmt: off
PEOPLE = (
    {"full_name": "Aruzhan Seitkali", "roles": [PersonRole.CEO, PersonRole.AUTHORISED_SIGNATORY, PersonRole.PRIMARY_CONTACT, PersonRole.BENEFICIAL_OWNER],
     "email": "aruzhan@steppe-ledger.example", "phone": "+7 701 555 0142", "iin": "910412401232", "nationality": "KZ", "ownership_pct": Decimal("60.00")},
    {"full_name": "Timur Akhmetov", "roles": [PersonRole.DIRECTOR, PersonRole.BENEFICIAL_OWNER],
     "email": "timur@steppe-ledger.example", "phone": "+7 702 555 0177", "nationality": "KZ", "ownership_pct": Decimal("40.00")},
    {"full_name": "Gulnara Omarova", "roles": [PersonRole.COMPLIANCE_OFFICER],
     "email": "compliance@steppe-ledger.example", "phone": "+7 705 555 0190", "nationality": "KZ"},
)
# fmt: on

DRAFT_TITLE = "Stablecoin checkout for CryptoCity merchants"
# The first four steps answered; readiness, test plan, risks, exit and AML still to write.
DRAFT_ANSWERS = {
    "activity_category": ActivityCategory.PAYMENTS,
    "track": Track.TESTING,
    "summary": "Shops and cafés in CryptoCity (Alatau) accept USDT and other stablecoins at the till and receive tenge in their bank account the same day.",
    "flow_description": "The customer scans a QR code and pays in USDT from their own wallet. We convert the coins on an AIFC-licensed exchange and pay the merchant in tenge through our partner bank within two hours. We never hold client coins for more than the conversion.",
    "innovation_statement": "No payment organisation in Kazakhstan settles crypto payments to merchants in tenge today; merchants would have to hold digital assets themselves.",
    "comparables": "Card acquiring (1.5-2.5% fees, next-day settlement); foreign crypto payment gateways that settle abroad and in dollars.",
    "consumer_benefit": "Merchants pay 0.8% instead of 2% and get tenge the same day; visitors to CryptoCity pay with the coins they already hold.",
    "need_for_sandbox": "Accepting digital assets as payment and converting them is not an activity a payment organisation may carry on under the Law on Payments today.",
    "limit_currency": Currency.KZT,
    "client_types": [ClientType.RETAIL_CORPORATE],
}


# --- Reviewer workspace: enough applications in every state for the queues to be worth a look ---

# A closed NBK intake, where the older applications have moved on to decisions and testing.
ASTANA_HUB_COHORT = {"name": "2026-1 Astana Hub", "zone_tag": "Astana Hub", "capacity": 20}
ASTANA_HUB_OPENED_DAYS_AGO = 230
ASTANA_HUB_CLOSED_DAYS_AGO = 150

# Other firms that applied: English, Russian and Kazakh names, and a BIN stem (YYMM, entity 4,
# unit 0, serial) to which seed_demo adds the check digit.
# fmt: off
FIRMS = (
    (("Altyn Custody JSC", "АО «Алтын Кастоди»", "«Алтын Кастоди» АҚ"), "2305400"),
    (("Nomad Pay LLP", "ТОО «Номад Пэй»", "«Номад Пэй» ЖШС"), "2211400"),
    (("Qazaq Tokenworks LLP", "ТОО «Казак Токенворкс»", "«Қазақ Токенворкс» ЖШС"), "2402400"),
    (("Silk Road Remit LLP", "ТОО «Силк Роуд Ремит»", "«Жібек жолы Ремит» ЖШС"), "2107400"),
    (("Tenge Stable JSC", "АО «Тенге Стейбл»", "«Теңге Стейбл» АҚ"), "2309400"),
    (("Baiterek Lending LLP", "ТОО «Байтерек Лендинг»", "«Бәйтерек Лендинг» ЖШС"), "2004400"),
    (("Kyran Compliance LLP", "ТОО «Кыран Комплаенс»", "«Қыран Комплаенс» ЖШС"), "2210400"),
    (("Alatau Exchange JSC", "АО «Алатау Эксчейндж»", "«Алатау Эксчейндж» АҚ"), "2406400"),
)
# fmt: on

# One application a line: title, activity, firm (index into FIRMS; None: the demo applicant's own
# organisation), cohort ("cryptocity", "astana", "aifc"), state, and how many working days ago
# its current clock started (None: no clock). A clock older than its stage's length is overdue.
# fmt: off
WORKSPACE_APPLICATIONS = (
    ("QR stablecoin payments for Alatau cafés", ActivityCategory.PAYMENTS, 0, "cryptocity", "submitted", 1),
    ("Tenge on-ramp for foreign visitors", ActivityCategory.DA_EXCHANGE, 1, "cryptocity", "submitted", 3),
    ("Payroll in USDT for IT park residents", ActivityCategory.PAYMENTS, 2, "cryptocity", "submitted", 7),
    ("Tokenised warehouse receipts for grain", ActivityCategory.TOKENISATION, 3, "aifc", "submitted", 2),
    ("Remittances to Uzbekistan on a public ledger", ActivityCategory.PAYMENTS, 3, "cryptocity", "screening", 2),
    ("Multi-signature custody for funds", ActivityCategory.DA_CUSTODY, 0, "cryptocity", "screening", 8),
    ("KZT-backed stablecoin pilot", ActivityCategory.STABLECOIN, 4, "cryptocity", "screening", 4),
    ("Stablecoin checkout for hotel chains", ActivityCategory.PAYMENTS, None, "cryptocity", "screening", 3),
    ("Peer-to-peer SME lending marketplace", ActivityCategory.LENDING, 5, "aifc", "screening", 6),
    ("AML transaction monitoring as a service", ActivityCategory.REGTECH, 6, "aifc", "eligibility", 5),
    ("Bitcoin ATM network in Almaty", ActivityCategory.DA_EXCHANGE, 7, "cryptocity", "eligibility", 17),
    ("Tokenised real-estate shares", ActivityCategory.TOKENISATION, 2, "astana", "eligibility", 9),
    ("Crypto-collateralised consumer loans", ActivityCategory.LENDING, 5, "astana", "eligibility", 2),
    ("Institutional digital-asset custody", ActivityCategory.DA_CUSTODY, 0, "astana", "evaluation", 4),
    ("Cross-border B2B settlement in USDT", ActivityCategory.PAYMENTS, 1, "astana", "evaluation", 12),
    ("Spot exchange for tokenised gold", ActivityCategory.DA_EXCHANGE, 7, "astana", "evaluation", 25),
    ("e-KYC reuse across payment providers", ActivityCategory.REGTECH, 6, "aifc", "evaluation", 18),
    ("Merchant acquiring with instant tenge settlement", ActivityCategory.PAYMENTS, None, "astana", "evaluation", 6),
    ("Green bonds on a permissioned ledger", ActivityCategory.TOKENISATION, 3, "aifc", "decision_pending", 3),
    ("Tenge stablecoin for e-commerce", ActivityCategory.STABLECOIN, 4, "astana", "decision_pending", 16),
    ("Robo-advisory for digital-asset portfolios", ActivityCategory.OTHER, 2, "astana", "decision_pending", 8),
    ("Card-linked crypto cashback", ActivityCategory.PAYMENTS, 1, "astana", "approved", None),
    ("Stablecoin remittance corridor to Kyrgyzstan", ActivityCategory.PAYMENTS, 3, "astana", "approved", None),
    ("Anonymous high-yield token staking", ActivityCategory.OTHER, 5, "astana", "rejected", None),
    ("Agricultural supply-chain tokens", ActivityCategory.TOKENISATION, 6, "astana", "waitlisted", None),
    ("Offshore derivatives on memecoins", ActivityCategory.DA_EXCHANGE, 7, "astana", "not_eligible", None),
    ("Digital-asset payroll for gig workers", ActivityCategory.PAYMENTS, 0, "aifc", "onboarding", None),
    ("Regulated OTC desk for digital assets", ActivityCategory.DA_EXCHANGE, 4, "aifc", "testing", None),
    ("Instant SME invoice financing", ActivityCategory.LENDING, 2, "aifc", "testing", None),
    ("Crypto savings wallet", ActivityCategory.DA_CUSTODY, 1, "aifc", "suspended", None),
    ("Tokenised carbon credits", ActivityCategory.TOKENISATION, 6, "aifc", "exiting", None),
    ("Open-banking account aggregation", ActivityCategory.REGTECH, 3, "aifc", "graduated", None),
    ("NFT ticketing for stadiums", ActivityCategory.OTHER, 7, "aifc", "exited", None),
    ("Leveraged token trading app", ActivityCategory.DA_EXCHANGE, 5, "aifc", "terminated", None),
    ("Crypto gift cards", ActivityCategory.PAYMENTS, 2, "cryptocity", "withdrawn", None),
    ("Micro-insurance paid in stablecoins", ActivityCategory.OTHER, 0, "astana", "withdrawn", None),
)
# fmt: on
# Which applications wait on the applicant: an open request for information pauses the clock
# (working days ago it was raised, working days the applicant has to answer; negative = overdue).
OPEN_RFIS = {
    "Multi-signature custody for funds": (3, 7),
    "Stablecoin checkout for hotel chains": (2, 8),
    "Bitcoin ATM network in Almaty": (12, -2),
}
ANSWERED_RFIS = ("Tokenised real-estate shares",)
RFI_QUESTIONS = (
    "Please send the signed custody agreement with your partner bank and explain how client "
    "assets are segregated from the company's own."
)
# The first reviewer recuses from this one (a former employer); the second declares later.
RECUSALS = {"Tokenised real-estate shares": "I advised the founders in 2024 (paid engagement)."}
PENDING_DECLARATIONS = ("AML transaction monitoring as a service",)
# Programme admin console: a third programme, and cohorts in every phase beside the open
# CryptoCity cohort and the rolling AIFC intake: one closed, two upcoming.
PAYMENTS_PROGRAMME = {
    **NBK_PROGRAMME,
    "code": "nbk-payments-remittances",
    "name_en": "NBK special regulatory regime: payments and remittances",
    "name_ru": "Особый режим регулирования НБК: платежи и переводы",
    "name_kk": "ҚРҰБ ерекше реттеу режимі: төлемдер және аударымдар",
    "description_en": (
        "The National Bank's sandbox track for payment services and cross-border remittances: "
        "new payment instruments, instant settlement and remittance corridors, tested with real "
        "clients within agreed limits. Reviewers see proposals without the applicant's identity."
    ),
    "description_ru": (
        "Направление регуляторной песочницы Национального Банка для платёжных услуг и "
        "трансграничных переводов: новые платёжные инструменты, мгновенные расчёты и коридоры "
        "переводов, тестируемые с реальными клиентами в согласованных лимитах."
    ),
    "description_kk": (
        "Ұлттық Банктің реттеушілік құмсалғышының төлем қызметтері мен трансшекаралық аударымдарға "
        "арналған бағыты: жаңа төлем құралдары, жедел есеп айырысу және аударым дәліздері "
        "келісілген лимиттер шегінде нақты клиенттермен сыналады."
    ),
    "blind_review": True,
    "reviews_required": 3,
}
# (programme code, cohort, opens in days from today, closes in days or None for rolling)
CONSOLE_COHORTS = (
    (NBK_PROGRAMME["code"], {"name": "2026-1 Alatau", "zone_tag": "CryptoCity / Alatau", "capacity": 10}, -150, -90),
    (NBK_PROGRAMME["code"], {"name": "2027-1 CryptoCity", "zone_tag": "CryptoCity / Alatau", "capacity": 25}, 75, 135),
    (PAYMENTS_PROGRAMME["code"], {"name": "2026-1 Remittance corridors", "zone_tag": "Astana Hub", "capacity": 8}, -200, -120),
    (PAYMENTS_PROGRAMME["code"], {"name": "2027-1 Instant payments", "zone_tag": "Astana Hub", "capacity": 12}, 30, 90),
)  # fmt: skip
# --- Decisions and testing (demo_participants.py): a past cohort in every phase after evaluation ---

# The second programme admin: decisions need two (four eyes).
SECOND_ADMIN = Login("aigul.sarsenova@nbk-sandbox.example", "Aigul Sarsenova", Role.PROGRAMME_ADMIN)
PAST_COHORT = {"name": "2025-2 Astana Hub", "zone_tag": "Astana Hub", "capacity": 4}
PAST_COHORT_OPENED_DAYS_AGO = 240
PAST_COHORT_CLOSED_DAYS_AGO = 180
# The demo applicant's own firm is testing, so its login shows reports due and one overdue.
TESTING_TITLE = "Tenge remittances to Uzbekistan on a public ledger"
TESTING_MONTHS_AGO = 4
# fmt: off
# title, organisation (en, ru, kk), phase: how far each application has come.
PARTICIPANTS = (
    ("Regulated custody for CryptoCity merchants", ("Nomad Custody LLP", "ТОО «Номад Кастоди»", "«Номад Кастоди» ЖШС"), "onboarding"),
    ("Tokenised gold savings", ("Altyn Token LLP", "ТОО «Алтын Токен»", "«Алтын Токен» ЖШС"), "approved_unreleased"),
    ("Peer-to-peer lending for farmers", ("Dala Lending LLP", "ТОО «Дала Лендинг»", "«Дала Лендинг» ЖШС"), "waitlisted"),
    ("Instant QR payments for bazaars", ("Saryarka Pay LLP", "ТОО «Сарыарка Пэй»", "«Сарыарқа Пэй» ЖШС"), "proposed"),
)
# fmt: on
REPORT_NARRATIVE = (
    "Onboarded new clients through eGov digital ID; all transfers settled within the hour. "
    "No breach of the per-client or aggregate limits."
)
LOGINS = (*LOGINS, SECOND_ADMIN)
DEMO_EMAILS = DEMO_EMAILS | {SECOND_ADMIN.email}
DEMO_STAFF_EMAILS = DEMO_STAFF_EMAILS | {SECOND_ADMIN.email}
