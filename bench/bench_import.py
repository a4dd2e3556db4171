"""Build a 5,000-row entries workbook, import it, re-import it, and print the times.

Target: the first import (read, validate every row, save) under 15 s on a 2-core machine.
Run from the repository root: python bench/bench_import.py [--rows N]
Uses a fresh SQLite database in a temporary folder unless DATABASE_URL is set.
"""

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 15.0


def build_entries(rows: int):
    from submissions.excel_template import EntryRow, MemberRow
    from submissions.validators import CREDIT_CODE_CHARSET, credit_code_check_char

    kinds = ["qc"] * 56 + ["team"] * 21 + ["story"] * 23
    topics = ["onsite", "tackling", "management", "service", "innovation"]
    roles = ["leader", "deputy", "member", "member", "member", "member", "advisor"]
    entries = []
    for n in range(rows):
        company = n % 1500
        digits = "".join(CREDIT_CODE_CHARSET[(company // 31**i) % 31] for i in range(7))
        body = f"91330106MA{digits}"
        kind = kinds[n % len(kinds)]
        size = 1 if kind == "story" else 3 + n % 8
        members = tuple(
            MemberRow(f"成员{n}-{i}", "speaker" if kind == "story" else roles[i % 7], "工程师")
            for i in range(size)
        )
        entries.append(
            EntryRow(
                category=kind,
                enterprise=f"浙江第{company}机械制造股份有限公司",
                credit_code=body + credit_code_check_char(body),
                recommender=f"第{n % 40}推荐单位质量管理协会",
                group=f"精益求精第{n}小组",
                title=f"提高第{n}号生产线关键工序一次合格率的研究与实践",
                topic_type=topics[n % 5] if kind == "qc" else "",
                group_reg_no=f"QC-2021-{n:05d}",
                topic_reg_no=f"KT-2021-{n:05d}",
                start=dt.date(2021, 1, 1) + dt.timedelta(days=n % 60),
                end=dt.date(2021, 6, 1) + dt.timedelta(days=n % 60),
                members=members,
                contact=f"联系人{n}",
                phone=f"0571-{88000000 + n}",
                email=f"contact{n}@example.com",
            )
        )
    return entries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="qcx-bench-import-")
    os.environ.setdefault("QCX_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcexchange.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from events.models import Category, Event
    from submissions.excel_writer import write_workbook
    from submissions.models import Member, Submission
    from submissions.services.intake import import_entries, import_workbook, parse_for_event

    call_command("migrate", verbosity=0)
    event, _ = Event.objects.get_or_create(
        slug="bench-import",
        defaults={
            "name": "导入基准",
            "start_date": dt.date(2021, 9, 23),
            "end_date": dt.date(2021, 9, 25),
        },
    )
    for order, (kind, name, prefix, low, high) in enumerate(
        [
            ("qc", "QC成果", "QC", 3, 15),
            ("team", "质量信得过班组", "TD", 1, 30),
            ("story", "质量品牌故事", "PP", 1, 10),
        ]
    ):
        Category.objects.get_or_create(
            event=event,
            kind=kind,
            defaults={
                "name": name,
                "code_prefix": prefix,
                "honour": name + "标杆",
                "order": order,
                "min_members": low,
                "max_members": high,
            },
        )

    entries = build_entries(args.rows)
    started = time.perf_counter()
    buffer = io.BytesIO()
    write_workbook(buffer, entries)
    written = time.perf_counter() - started
    data = buffer.getvalue()

    started = time.perf_counter()
    parsed = parse_for_event(event=event, source=io.BytesIO(data))
    validated = time.perf_counter() - started
    assert not parsed.errors, parsed.errors[:3]
    first = import_entries(event=event, entries=parsed.entries)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    again = import_workbook(event=event, source=io.BytesIO(data))
    reimported = time.perf_counter() - started

    print(f"workbook: {args.rows} rows, {len(data) / 1024:.0f} KB, written in {written:.2f} s")
    print(
        f"import:   {imported:.2f} s ({args.rows / imported:.0f} rows/s; read and validate "
        f"{validated:.2f} s, save {imported - validated:.2f} s); created {first.created} "
        f"entries, {first.enterprises_created} enterprises, {Member.objects.count()} members"
    )
    print(
        f"re-import: {reimported:.2f} s; created {again.created}, updated {again.updated}, "
        f"unchanged {again.unchanged}"
    )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"entries in database: {Submission.objects.filter(event=event).count()}")
    print(
        f"target {TARGET_SECONDS:.0f} s: first import at {imported / TARGET_SECONDS:.0%} of target"
    )


if __name__ == "__main__":
    main()
