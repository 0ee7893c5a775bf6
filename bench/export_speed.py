"""Benchmark: the applications export (CSV and XLSX) at 10,000 rows, on SQLite.

Builds a throw-away SQLite database under var/ with 10,000 submitted applications (each of its
own organisation, every answer filled in), two submitted reviews each with three criterion scores
(20,000 reviews, 60,000 scores) and, for half of them, a confirmed decision with three reasons.
Then, in this process, through the ordinary view and middleware (django.test.Client, signed in
as a programme admin, DEBUG off), it measures for each format:

- time to first byte: from the request to the first chunk of the streamed body, and to the first
  bytes of row data (for XLSX the first bytes are the workbook's fixed parts);
- total time and rows per second, reading the whole body;
- peak Python memory (tracemalloc) while the whole body is read, for 2,000 rows (one cohort)
  and for 10,000 rows (every cohort): flat memory means the two peaks are about the same.

Timings are taken in runs without tracemalloc (it slows Python code down several times).

Run: .venv/bin/python bench/export_speed.py
"""

import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 10_000
SMALL = 2_000
FIXED_PARTS = 4096


def configure(work: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        DJANGO_SECRET_KEY="bench-only-" + uuid.uuid4().hex,
        DJANGO_HTTPS="false",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        PORTAL_VAR_DIR=str(work),
    )
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build() -> dict:
    import random
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from allauth.mfa.models import Authenticator

    from applications.models import (
        Application,
        Cohort,
        Criterion,
        CriterionScore,
        Decision,
        DecisionReason,
        Programme,
        Review,
    )
    from portal.accounts.models import Organisation, Role, User
    from tests.factories import COMPLETE_ANSWERS, make_bin

    rng = random.Random(7)  # noqa: S311 - repeatable bench data, not a secret
    programme = Programme.objects.create(
        code="bench", name_en="NBK special regime: digital assets", regulator="NBK"
    )
    criteria = [
        Criterion.objects.create(programme=programme, code=code, name_en=name, weight=w, position=p)
        for p, (code, name, w) in enumerate(
            [
                ("innovation", "Innovation", 40),
                ("benefit", "Consumer benefit", 30),
                ("readiness", "Readiness", 30),
            ],
            start=1,
        )
    ]
    now = datetime(2026, 11, 1, tzinfo=UTC)
    small = Cohort.objects.create(programme=programme, name="2026-1", opens_at=now, capacity=50)
    large = Cohort.objects.create(programme=programme, name="2026-2", opens_at=now, capacity=50)
    admin = User.objects.create(
        email="admin@bench.kz", full_name="Marat Admin", role=Role.PROGRAMME_ADMIN
    )
    checker = User.objects.create(
        email="checker@bench.kz", full_name="Aigul Checker", role=Role.PROGRAMME_ADMIN
    )
    Authenticator.objects.create(
        user=admin, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    reviewers = [
        User.objects.create(email=f"r{n}@bench.kz", full_name=f"Reviewer {n}", role=Role.REVIEWER)
        for n in range(2)
    ]
    bins: set[str] = set()
    while len(bins) < ROWS:
        bins.add(make_bin(rng))
    organisations = Organisation.objects.bulk_create(
        Organisation(
            legal_name_en=f"Steppe Digital {n} LLP",
            legal_name_ru=f"ТОО «Степь Диджитал {n}»",
            legal_name_kk=f"«Дала Диджитал {n}» ЖШС",
            legal_form="llp",
            bin=bin_number,
            address="Mangilik El 55/20, Astana",
        )
        for n, bin_number in enumerate(sorted(bins))
    )
    creator = User.objects.create(
        email="founder@bench.kz", role=Role.APPLICANT, organisation=organisations[0]
    )
    applications = Application.objects.bulk_create(
        Application(
            reference=f"SBX-2026-{n:05d}",
            organisation=organisation,
            cohort=small if n < SMALL else large,
            state="approved" if n % 2 else "evaluation",
            created_by=creator,
            submitted_at=now + timedelta(minutes=n),
            decision_released_at=now + timedelta(days=30) if n % 2 else None,
            **COMPLETE_ANSWERS,
        )
        for n, organisation in enumerate(organisations)
    )
    reviews = Review.objects.bulk_create(
        Review(
            application=application,
            reviewer=reviewer,
            state="submitted",
            recommendation=rng.choice(["proceed", "reject", "defer"]),
            summary="A sound plan with a credible exit strategy.",
            weighted_score=Decimal(rng.randint(200, 500)) / 100,
            submitted_at=now,
        )
        for application in applications
        for reviewer in reviewers
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            review=review, criterion=criterion, score=rng.randint(1, 5), rationale="Fine."
        )
        for review in reviews
        for criterion in criteria
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            application=application,
            outcome="approved_with_conditions",
            state="confirmed",
            conditions="Keep reserves at 102%\nReport monthly",
            made_by=admin,
            made_at=now,
            checked_by=checker,
            checked_at=now,
            released_at=now + timedelta(days=30),
        )
        for application in applications[1::2]
    )
    DecisionReason.objects.bulk_create(
        DecisionReason(decision=decision, criterion=criterion, text=f"Meets {criterion.name_en}.")
        for decision in decisions
        for criterion in criteria
    )
    return {"admin": admin, "small": small}


def measure(client, url: str, query: dict, *, traced: bool) -> dict:
    import gc

    gc.collect()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url, query)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_byte = time.perf_counter() - start
    size = len(first)
    # XLSX: the first bytes are the workbook's fixed parts (about 2 KB); the first bytes of row
    # data follow once the compressor has filled a block.
    past_fixed_parts = first_byte if size > FIXED_PARTS else None
    for chunk in chunks:
        size += len(chunk)
        if past_fixed_parts is None and size > FIXED_PARTS:
            past_fixed_parts = time.perf_counter() - start
    total = time.perf_counter() - start
    response.close()
    peak = None
    if traced:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "first_byte_s": first_byte,
        "first_rows_s": past_fixed_parts,
        "total_s": total,
        "bytes": size,
        "peak": peak,
    }


def main() -> int:
    (ROOT / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="portal-export-bench-", dir=ROOT / "var") as folder:
        configure(Path(folder))
        started = time.perf_counter()
        world = build()
        print(f"data: {ROWS} applications built in {time.perf_counter() - started:.1f} s")
        from django.test import Client
        from django.urls import reverse

        client = Client()
        client.force_login(world["admin"])
        for file_format in ("csv", "xlsx"):
            url = reverse(f"console:export-applications-{file_format}")
            measure(client, url, {"cohort": world["small"].pk}, traced=False)  # warm up
            timed = [measure(client, url, {}, traced=False) for _run in range(3)]
            best = min(timed, key=lambda run: run["total_s"])
            small = measure(client, url, {"cohort": world["small"].pk}, traced=True)
            whole = measure(client, url, {}, traced=True)
            print(
                f"{file_format}: {ROWS} rows, {best['bytes'] / 1e6:.2f} MB; "
                f"first byte {best['first_byte_s'] * 1000:.0f} ms, "
                f"first row data {best['first_rows_s'] * 1000:.0f} ms; "
                f"total {best['total_s']:.2f} s = {ROWS / best['total_s']:.0f} rows/s; "
                f"peak traced memory {small['peak'] / 1e6:.2f} MB at {SMALL} rows, "
                f"{whole['peak'] / 1e6:.2f} MB at {ROWS} rows"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
