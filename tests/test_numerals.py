"""Chinese numerals below 10,000 are read without cn2an (its import costs a CLI run 0.2 s); the
reading must equal cn2an's wherever it gives one, and cover every standard form."""
from __future__ import annotations

import itertools
import subprocess
import sys
from decimal import Decimal

import cn2an

from service.extract.numerals import _below_ten_thousand, chinese_value


def cn2an_value(numeral: str):
    """What chinese_value gave before the fast path: cn2an, strict then normal."""
    for mode in ("strict", "normal"):
        try:
            return Decimal(str(cn2an.cn2an(numeral.replace("两", "二"), mode)))
        except (ValueError, KeyError, TypeError):
            continue
    return None


def test_every_standard_numeral_below_ten_thousand_is_read_without_cn2an():
    for n in range(1, 10_000):
        standard = cn2an.an2cn(n)
        for form in (standard, standard.replace("二", "两")):
            assert _below_ten_thousand(form) == n, form


def test_whatever_it_reads_cn2an_reads_alike():
    alphabet = "零〇一二两三五九十百千"
    read = 0
    for length in range(1, 6):
        for chars in itertools.product(alphabet, repeat=length):
            numeral = "".join(chars)
            value = _below_ten_thousand(numeral)
            if value is not None:
                read += 1
                assert Decimal(value) == cn2an_value(numeral), numeral
    assert read > 800  # the standard forms of up to five characters in this alphabet


def test_other_forms_still_go_to_cn2an():
    for numeral, value in (("一百五", 150), ("三万五千", 35000), ("三点五", 3.5), ("十二万", 120000)):
        assert _below_ten_thousand(numeral) is None
        assert chinese_value(numeral) == Decimal(str(value))


def test_a_plan_with_small_chinese_numerals_is_extracted_without_importing_cn2an(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("某区教育局2024年工作要点\n1. 新建学校十二所，新增学位一千二百个，培训教师两千零五十人次。\n",
                    encoding="utf-8")
    probe = ("import sys, json, io, contextlib, service.cli\n"
             "out = io.StringIO()\n"
             f"with contextlib.redirect_stdout(out): service.cli.main(['extract', {str(plan)!r}])\n"
             "print(sorted(t['value'] for t in json.loads(out.getvalue())['targets']), 'cn2an' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[0] == "[12, 1200, 2050] False", run.stdout
