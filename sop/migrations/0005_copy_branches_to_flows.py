"""The Ya/Tidak branches of decisions (yes_step, no_step) become flows labelled "Ya" and
"Tidak", in that order; going back, the first two flows of a decision become them again."""

from django.db import migrations


def branches_to_flows(apps, schema_editor):
    SopStep = apps.get_model("sop", "SopStep")
    SopFlow = apps.get_model("sop", "SopFlow")
    flows = []
    steps = SopStep.objects.exclude(yes_step__isnull=True, no_step__isnull=True)
    for step in steps.order_by("pk"):
        seen = set()
        for order, (label, target) in enumerate((("Ya", step.yes_step), ("Tidak", step.no_step))):
            if target is None or target in seen:
                continue
            seen.add(target)
            flows.append(SopFlow(step_id=step.pk, target=target, label=label, order=order))
    SopFlow.objects.bulk_create(flows)


def flows_to_branches(apps, schema_editor):
    SopStep = apps.get_model("sop", "SopStep")
    SopFlow = apps.get_model("sop", "SopFlow")
    for step in SopStep.objects.filter(kind="decision"):
        targets = list(
            SopFlow.objects.filter(step_id=step.pk)
            .order_by("order", "pk")
            .values_list("target", flat=True)
        )
        if len(targets) >= 2:
            SopStep.objects.filter(pk=step.pk).update(yes_step=targets[0], no_step=targets[1])
    SopFlow.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("sop", "0004_step_flows")]

    operations = [migrations.RunPython(branches_to_flows, flows_to_branches)]
