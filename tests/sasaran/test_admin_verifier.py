"""The admin names a unit's verifier position (who reviews the Kepala Unit's own
indicators): one of the unit's own positions, never the head's own nor another unit's."""

import pytest
from django.urls import reverse

from sasaran.models import Position, Unit
from tests.mutu.test_hostile_sweep import forms_of

pytestmark = pytest.mark.django_db

UNIT = "up-pmptsp-jaktim"


def _change(client, unit, verifier):
    """Post the unit's change form as the page gives it, with `verifier` chosen."""
    url = reverse("admin:sasaran_unit_change", args=[unit.pk])
    page = client.get(url)
    form = next(f for f in forms_of(page.text) if "verifier_position" in f["fields"])
    # The sweep's parser sends every checkbox; the boxes here are all unticked (the inline
    # positions' "delete", and the unit's staff_reviewer_is_kasubbag): not sent.
    assert not unit.staff_reviewer_is_kasubbag
    fields = {
        k: v
        for k, v in form["fields"].items()
        if not k.endswith("-DELETE") and k != "staff_reviewer_is_kasubbag"
    }
    return page, client.post(url, {**fields, "verifier_position": verifier})


def test_the_verifier_is_one_of_the_units_own_positions_but_the_heads(demo, superuser):
    unit = Unit.objects.get(code=UNIT)
    page, _response = _change(superuser, unit, "")
    offered = page.context["adminform"].form.fields["verifier_position"].queryset
    assert set(offered) == set(unit.positions.exclude(level=Position.Level.HEAD))
    assert offered.count() == 6  # Kasubbag TU and five staff positions

    head = unit.positions.get(level=Position.Level.HEAD)
    elsewhere = Position.objects.get(unit__code="dpmptsp-dki")
    for position in (head, elsewhere):
        _page, response = _change(superuser, unit, position.pk)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors["verifier_position"]
        assert errors == ["Pilih salah satu jabatan unit ini sendiri, selain jabatan Kepala Unit."]
        unit.refresh_from_db()
        assert unit.verifier_position is None

    kasubbag = unit.positions.get(level=Position.Level.ADMIN_HEAD)
    _page, response = _change(superuser, unit, kasubbag.pk)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.verifier_position == kasubbag
    listing = superuser.get(reverse("admin:sasaran_unit_changelist")).text
    assert "Kepala Subbagian Tata Usaha (UP PMPTSP Kota Jakarta Timur)" in listing
