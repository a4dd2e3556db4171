"""Benchmark certificate rendering: naive, limit, and the chunked pipeline with 1 and 2 workers.

    python bench/bench_certificates.py [--count 1000] [--chunk 50] [--naive-count N]

Prints certificates per second for
- naive: one WeasyPrint document per certificate;
- limit: all certificates as one multi-page document (not individually downloadable);
- pipeline: chunks rendered as one document each, fonts compacted, split per page into
  standalone files written to disk, in a pool of one and of two worker processes;
and the ratios against the targets (pipeline >= 0.7 x limit per worker, two workers >= 1.7 x
one) and the mean certificate file size (target <= 250 KB). Workers load fonts once before
the clock starts, as long-running Celery workers do.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcexchange.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from judging.documents import certificates  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯健俊帆鹏晨鑫波宁婷雪琳晶欣颖倩蕾志国兴海东春梅兰松涛德庆家福"
PLACES = "北京上海天津重庆沈阳大连长春哈尔滨济南青岛郑州洛阳武汉长沙广州深圳成都西安兰州太原合肥南京苏州杭州宁波福州厦门南昌昆明贵阳"
TRADES = [
    "重型机械",
    "机床",
    "汽车",
    "电机",
    "轴承",
    "液压件",
    "电气",
    "工程机械",
    "锅炉",
    "齿轮",
    "铸造",
    "仪器仪表",
]
UNITS = [
    "装配车间",
    "机加工车间",
    "铸造分厂",
    "热处理车间",
    "质量部",
    "技术中心",
    "焊接车间",
    "涂装车间",
]
VERBS = ["降低", "提高", "缩短", "减少", "提升"]
OBJECTS = ["缸体加工不良率", "焊缝一次合格率", "装配线停线时间", "齿轮热处理变形量", "铸件气孔缺陷率",
           "电机噪声超标率", "液压阀泄漏率", "设备故障停机时间", "产品交付周期", "涂层附着力不合格率"]  # fmt: skip


def make_certificates(count: int, seal_url: str, seed: int = 40) -> list:
    """Return `count` certificates of groups and their members with varied Chinese names."""
    rng = random.Random(seed)
    result, seq = [], 0
    while len(result) < count:
        place, trade = rng.choice(PLACES[::2]) + "", rng.choice(TRADES)
        enterprise = f"{place}{PLACES[rng.randrange(len(PLACES))]}{trade}股份有限公司"
        group = f"{rng.choice(UNITS)}{rng.choice('精益卓越攻关创新求实启航')}QC小组"
        topic = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
        members = ["".join([rng.choice(SURNAMES)] + rng.sample(GIVEN, rng.choice([1, 2])))
                   for _ in range(rng.randint(4, 9))]  # fmt: skip
        for member in [""] + members:
            seq += 1
            code = certificates.new_verify_code()
            body = f"{enterprise}{group}的成果《{topic}》在机械工业第40次群众性质量管理成果交流活动中被评为"
            if member:
                body = f"作为{enterprise}{group}成员，在成果《{topic}》中作出贡献，该成果在机械工业第40次群众性质量管理成果交流活动中被评为"
            result.append(
                certificates.CertificateData(
                    audience="member" if member else "group",
                    number=f"CMQA-2021-QC-{seq:04d}",
                    verify_code=code,
                    verify_url=f"https://qcx.example.cn/verify/{code}/",
                    title="荣誉证书",
                    body=body,
                    honour="2021年机械工业QC成果标杆",
                    enterprise=enterprise,
                    group=group,
                    topic=topic,
                    member=member,
                    issuing_body="中国机械工业质量管理协会",
                    issue_date="2021年9月25日",
                    seal=seal_url,
                )
            )
    return result[:count]


def _warm(barrier=None):
    certificates.render_chunk(_WARM)
    if barrier is not None:
        barrier.wait()


def _render_chunk(args):
    chunk, out_dir = args
    sizes = []
    for cert, data in zip(chunk, certificates.render_chunk(chunk), strict=True):
        path = Path(out_dir) / f"{cert.verify_code}.pdf"
        path.write_bytes(data)
        sizes.append(len(data))
    return sizes


def pipeline(certs, *, workers: int, chunk: int, out_dir: str) -> tuple[float, list[int]]:
    """Render through a pool of `workers` processes; return seconds and file sizes."""
    chunks = [(certs[i : i + chunk], out_dir) for i in range(0, len(certs), chunk)]
    barrier = multiprocessing.Barrier(workers + 1)
    with multiprocessing.Pool(workers, initializer=_warm, initargs=(barrier,)) as pool:
        barrier.wait()  # every worker has loaded its fonts
        start = time.perf_counter()
        sizes = [size for part in pool.imap_unordered(_render_chunk, chunks) for size in part]
        seconds = time.perf_counter() - start
    return seconds, sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--naive-count", type=int, default=None, help="default: --count")
    args = parser.parse_args()
    naive_count = args.naive_count or args.count

    global _WARM
    tmp = Path(tempfile.mkdtemp(prefix="bench-certs-"))
    seal = tmp / "seal.png"
    seal.write_bytes(certificates.seal_png("中国机械工业质量管理协会", centre="证书专用章"))
    certs = make_certificates(args.count, seal.as_uri())
    _WARM = certs[:2]
    _warm()
    print(f"certificates: {args.count}, chunk: {args.chunk}, cores: {os.cpu_count()}")

    start = time.perf_counter()
    naive_sizes = [len(certificates.render_document([c])) for c in certs[:naive_count]]
    naive = naive_count / (time.perf_counter() - start)
    print(f"naive    (one document per certificate): {naive:7.1f} /s"
          f"   mean file {statistics.mean(naive_sizes) / 1024:6.1f} KB")  # fmt: skip

    start = time.perf_counter()
    limit_pdf = certificates.render_document(certs)
    limit = args.count / (time.perf_counter() - start)
    print(f"limit    (one {args.count}-page document):      {limit:7.1f} /s"
          f"   whole file {len(limit_pdf) / 1024 / 1024:.1f} MB")  # fmt: skip

    rates, sizes = {}, []
    for workers in (1, 2):
        out_dir = tmp / f"out{workers}"
        out_dir.mkdir()
        seconds, sizes = pipeline(certs, workers=workers, chunk=args.chunk, out_dir=str(out_dir))
        rates[workers] = args.count / seconds
        print(f"pipeline ({workers} worker{'s' if workers > 1 else ' '}, chunks of {args.chunk}):  "
              f"{rates[workers]:7.1f} /s   {len(list(out_dir.glob('*.pdf')))} files")  # fmt: skip

    mean_kb = statistics.mean(sizes) / 1024
    per_worker = rates[1] / limit
    scaling = rates[2] / rates[1]
    print(f"pipeline / limit, one worker: {per_worker:.2f}  (target >= 0.70) "
          f"{'ok' if per_worker >= 0.7 else 'MISSED'}")  # fmt: skip
    print(f"two workers / one worker:     {scaling:.2f}  (target >= 1.70) "
          f"{'ok' if scaling >= 1.7 else 'MISSED'}")  # fmt: skip
    print(f"naive / limit:                {naive / limit:.2f}")
    print(f"mean certificate file:        {mean_kb:.1f} KB (target <= 250 KB; max "
          f"{max(sizes) / 1024:.1f} KB) {'ok' if mean_kb <= 250 else 'MISSED'}")  # fmt: skip


_WARM = []

if __name__ == "__main__":
    main()
