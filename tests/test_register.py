"""The printable visit register: bilingual headings, the signature drawn, a page per visit."""

import re
from xml.etree import ElementTree

from tests.test_reports import data  # noqa: F401 (the known data set)
from tests.visitdata import sync_body, visit_payload

HEADINGS = (
    "老年服务工作登记表",
    "编号",
    "日期",
    "社会工作者",
    "所在工作室",
    "联系号码",
    "服务对象",
    "性别",
    "详细地址",
    "服务对象存在问题",
    "服务完成情况",
    "服务人员签名",
    "服务反馈情况",
    "满意",
    "基本满意",
    "不满意",
    "其他意见或建议",
    "服务对象签名",
    "Service register",
    "Problems found",
    "Service given",
    "Feedback",
    "Other comments or suggestions",
    "Client's signature",
    "Worker's signature",
)


def pages(html: str) -> list[str]:
    return re.findall(r'<article class="form.*?</article>', html, re.S)


def test_one_visit_prints_the_form_with_the_signature(api, supervisor_a, data):  # noqa: F811
    visit = data.visits["A3"]
    answer = api.get(f"/register?visit_id={visit['id']}", as_=supervisor_a)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "text/html"
    html = answer.get_data(as_text=True)
    for heading in HEADINGS:
        assert heading in html, heading
    [page] = pages(html)
    assert visit["id"][:8].upper() in page and "2025-09-03 10:00-10:04" in page
    assert "王桂英" in page and "女 Female" in page and "0571-1234" in page
    assert "Worker.A" in page and "13800000001" in page and "Ward A 甲病区" in page
    assert "饭菜太咸 food too salty" in page and "测血压 blood pressure checked" in page
    assert "需跟进" in page
    assert '<span class="rating chosen">☑ 不满意' in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    drawn = ElementTree.fromstring(svg)
    assert len(drawn.findall(".//{http://www.w3.org/2000/svg}path")) == 4
    assert 'href="/api/v1/register.css"' in html  # relative: the Host header chooses nothing
    assert "style=" not in html and "<script" not in html  # the CSP allows neither


def test_register_stylesheet_prints_a_page_per_visit(api):
    answer = api.get("/register.css")
    assert answer.status_code == 200 and answer.mimetype == "text/css"
    css = answer.get_data(as_text=True)
    assert "size: A4" in css and "break-after: page" in css


def test_amendments_applied_and_voided_marked(api, admin, data):  # noqa: F811
    a6 = api.get(f"/register?visit_id={data.visits['A6']['id']}", as_=admin)
    page = pages(a6.get_data(as_text=True))[0]
    assert "房间太冷 room too cold" in page and "已更正" in page
    assert '<li class="concern">生活状况' in page
    a7 = api.get(f"/register?visit_id={data.visits['A7']['id']}", as_=admin)
    page = pages(a7.get_data(as_text=True))[0]
    assert 'class="form voided"' in page and "已作废 VOIDED" in page and "recorded twice" in page


def test_a_range_prints_one_page_per_visit_oldest_first(api, admin, supervisor_a, ward_b, data):  # noqa: F811
    html = api.get("/register?from=2025-09-01&to=2025-09-03", as_=supervisor_a).get_data(
        as_text=True
    )
    printed = pages(html)
    numbers = [re.search(r'<dd class="number">(\w+)</dd>', p).group(1) for p in printed]
    v = data.visits
    assert numbers == [v[n]["id"][:8].upper() for n in ("A1", "A2", "A3")]
    ward_b_html = api.get(
        f"/register?from=2025-09-01&to=2025-09-30&unit_id={ward_b.id}", as_=admin
    ).get_data(as_text=True)
    assert len(pages(ward_b_html)) == 2 + 5
    empty = api.get("/register?from=2020-01-01&to=2020-01-02", as_=admin)
    assert "No visits in this range" in empty.get_data(as_text=True)


def test_proxy_and_unable_to_sign(api, admin, worker_a, resident_a):
    proxy = visit_payload(resident_a, seed=2)
    proxy["signature"].update(signer="proxy", signer_name="王小明 (son)")
    unable = visit_payload(resident_a, seed=3)
    unable["signature"].update(signer="none", reason="手抖 hand tremor", strokes=[])
    api.post("/sync", json=sync_body([proxy, unable]), as_=worker_a)
    page = api.get(f"/register?visit_id={proxy['id']}", as_=admin).get_data(as_text=True)
    assert "家属代签" in page and "王小明 (son)" in page and "<svg" in page
    page = api.get(f"/register?visit_id={unable['id']}", as_=admin).get_data(as_text=True)
    assert "未能签名" in page and "手抖 hand tremor" in page and "<svg" not in page


def test_register_access_and_limits(app, api, supervisor_a, worker_a, admin, data):  # noqa: F811
    b1 = data.visits["B1"]["id"]
    assert api.get(f"/register?visit_id={b1}", as_=supervisor_a).status_code == 404
    assert api.get(f"/register?visit_id={b1}", as_=worker_a).status_code == 403
    assert api.get(f"/register?visit_id={b1}").status_code == 401
    assert api.get("/register", as_=admin).status_code == 422
    assert api.get("/register?from=2025-09-01", as_=admin).status_code == 422

    from server.reports import register

    register.MAX_PAGES, saved = 3, register.MAX_PAGES
    try:
        too_many = api.get("/register?from=2025-09-01&to=2025-10-31", as_=admin)
        assert too_many.status_code == 422 and "at most 3" in too_many.json["detail"]
    finally:
        register.MAX_PAGES = saved
