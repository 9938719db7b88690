"""The main menu's Dasbor: one link for a user with one unit's dashboard, one list for a
user with several (a parent unit's head, an admin), so the bar keeps to one line."""

import re

from django.urls import reverse

from sasaran import access
from sasaran.models import Objective, QualityManual, Section, Unit


def dasbor_links(html):
    return re.findall(r'href="(/dasbor/[^/"]+/)"', html.split("</nav>")[0])


def test_one_unit_one_link(login_as, demo_examples):
    html = login_as("kasubbag").get(reverse("tasks")).content.decode()
    assert dasbor_links(html) == ["/dasbor/up-pmptsp-jaktim/"]
    assert 'id="menu-dasbor"' not in html


def test_several_units_one_list(login_as, demo_examples):
    html = login_as("kadis").get(reverse("tasks")).content.decode()
    assert 'id="menu-dasbor"' in html
    assert dasbor_links(html) == ["/dasbor/up-pmptsp-jakbar/", "/dasbor/up-pmptsp-jaktim/"]


def test_the_list_stops_at_ten(login_as, demo_examples):
    parent = Unit.objects.get(code="dpmptsp-dki")
    for n in range(12):
        unit = Unit.objects.create(
            code=f"up-tambahan-{n:02}", name=f"UP Tambahan {n:02}", kind="up", parent=parent
        )
        manual = QualityManual.objects.create(
            unit=unit, year=2023, document_number="X", effective_date="2023-01-01"
        )
        Objective.objects.create(
            section=Section.objects.create(manual=manual, order=1, title="S"), number=1, text="O"
        )
    html = login_as("kadis").get(reverse("tasks")).content.decode()
    links = dasbor_links(html)
    assert len(links) == access.MENU_UNITS == 10
    assert links[0] == "/dasbor/up-pmptsp-jakbar/"  # by name: "UP PMPTSP ..." before "UP Tambahan"
