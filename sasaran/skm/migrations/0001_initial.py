"""The survey's models, taken over from the `sasaran` app with their tables (`db_table`).

On a database made before the move the tables exist already: this migration only tells
Django that they now belong to `skm`, and moves their content types (and so the admin
permissions and log entries that point at them) to the new app label.
"""

import django.db.models.deletion
import sasaran.skm.models
from django.db import migrations, models

MODELS = ["survey", "surveyservice", "unsur", "response", "answer"]


def _relabel(apps, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "sasaran", "skm")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "skm", "sasaran")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('sasaran', '0007_survey_moves_to_skm'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Survey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='tahun')),
                        ('period_kind', models.CharField(choices=[('quarter', 'Triwulan'), ('semester', 'Semester'), ('year', 'Tahun')], default='quarter', max_length=10, verbose_name='jenis periode')),
                        ('period_number', models.PositiveSmallIntegerField(default=1, help_text='TW 1-4, semester 1-2, atau 1 untuk tahunan.', verbose_name='nomor periode')),
                        ('population', models.PositiveIntegerField(blank=True, null=True, verbose_name='populasi (jumlah pengguna layanan dalam periode)')),
                        ('follow_up_plan', models.TextField(blank=True, verbose_name='rencana tindak lanjut')),
                        ('note', models.TextField(blank=True, verbose_name='catatan')),
                        ('is_open', models.BooleanField(default=True, help_text='Jika tidak dicentang, halaman survei publik tidak menerima isian.', verbose_name='terbuka untuk isian publik')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dibuat pada')),
                        ('indicator', models.ForeignKey(blank=True, help_text='Indikator "Indeks Kepuasan ..." Sasaran Mutu unit dan tahun yang sama; realisasinya diambil dari IKM survei ini (survei triwulan: TW yang sama; semester: TW 2 atau TW 4; tahunan: TW 4).', limit_choices_to={'kind': 'index'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='surveys', to='sasaran.indicator', verbose_name='indikator indeks yang diisi')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='surveys', to='sasaran.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'survei kepuasan masyarakat',
                        'verbose_name_plural': 'survei kepuasan masyarakat',
                        'db_table': 'sasaran_survey',
                        'ordering': ['unit__name', '-year', 'period_kind', '-period_number'],
                    },
                ),
                migrations.CreateModel(
                    name='SurveyService',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='jenis layanan')),
                        ('order', models.PositiveSmallIntegerField(default=1, verbose_name='urutan')),
                        ('public_token', models.CharField(default=sasaran.skm.models.survey_token, max_length=32, unique=True, verbose_name='kode tautan publik')),
                        ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='services', to='skm.survey', verbose_name='survei')),
                    ],
                    options={
                        'verbose_name': 'jenis layanan survei',
                        'verbose_name_plural': 'jenis layanan survei',
                        'db_table': 'sasaran_surveyservice',
                        'ordering': ['survey', 'order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Response',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sex', models.CharField(blank=True, choices=[('L', 'Laki-laki'), ('P', 'Perempuan')], max_length=1, verbose_name='jenis kelamin')),
                        ('age_group', models.CharField(blank=True, choices=[('<20', 'Di bawah 20 tahun'), ('20-29', '20-29 tahun'), ('30-39', '30-39 tahun'), ('40-49', '40-49 tahun'), ('50-59', '50-59 tahun'), ('60+', '60 tahun ke atas')], max_length=5, verbose_name='usia')),
                        ('education', models.CharField(blank=True, choices=[('SD', 'SD atau di bawahnya'), ('SMP', 'SMP'), ('SMA', 'SMA/SMK'), ('D1-D3', 'D1-D3'), ('S1', 'D4/S1'), ('S2', 'S2'), ('S3', 'S3')], max_length=5, verbose_name='pendidikan')),
                        ('occupation', models.CharField(blank=True, choices=[('pns', 'PNS/ASN'), ('tni-polri', 'TNI/Polri'), ('swasta', 'Pegawai swasta'), ('wirausaha', 'Wiraswasta/wirausaha'), ('pelajar', 'Pelajar/mahasiswa'), ('lainnya', 'Lainnya')], max_length=10, verbose_name='pekerjaan')),
                        ('date', models.DateField(verbose_name='tanggal')),
                        ('source', models.CharField(choices=[('paper', 'Kuesioner kertas'), ('online', 'Isian daring'), ('import', 'Impor rekap')], default='paper', max_length=10, verbose_name='sumber')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dicatat pada')),
                        ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='skm.survey', verbose_name='survei')),
                        ('service', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responses', to='skm.surveyservice', verbose_name='jenis layanan')),
                    ],
                    options={
                        'verbose_name': 'responden',
                        'verbose_name_plural': 'responden',
                        'db_table': 'sasaran_response',
                        'ordering': ['survey', 'date', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Unsur',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(help_text='U1, U2, ...', max_length=10, verbose_name='kode')),
                        ('name', models.CharField(max_length=200, verbose_name='unsur')),
                        ('question', models.TextField(verbose_name='pertanyaan')),
                        ('label_1', models.CharField(max_length=100, verbose_name='jawaban 1')),
                        ('label_2', models.CharField(max_length=100, verbose_name='jawaban 2')),
                        ('label_3', models.CharField(max_length=100, verbose_name='jawaban 3')),
                        ('label_4', models.CharField(max_length=100, verbose_name='jawaban 4')),
                        ('order', models.PositiveSmallIntegerField(verbose_name='urutan di kuesioner')),
                        ('weight_numerator', models.PositiveIntegerField(default=1, verbose_name='bobot (pembilang)')),
                        ('weight_denominator', models.PositiveIntegerField(default=9, verbose_name='bobot (penyebut)')),
                        ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unsur', to='skm.survey', verbose_name='survei')),
                    ],
                    options={
                        'verbose_name': 'unsur',
                        'verbose_name_plural': 'unsur',
                        'db_table': 'sasaran_unsur',
                        'ordering': ['survey', 'order', 'code'],
                    },
                ),
                migrations.CreateModel(
                    name='Answer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('value', models.PositiveSmallIntegerField(verbose_name='jawaban')),
                        ('response', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='skm.response', verbose_name='responden')),
                        ('unsur', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='skm.unsur', verbose_name='unsur')),
                    ],
                    options={
                        'verbose_name': 'jawaban',
                        'verbose_name_plural': 'jawaban',
                        'db_table': 'sasaran_answer',
                        'ordering': ['response', 'unsur__order'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='survey',
                    constraint=models.UniqueConstraint(fields=('unit', 'year', 'period_kind', 'period_number'), name='survey_unique_period'),
                ),
                migrations.AddConstraint(
                    model_name='survey',
                    constraint=models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='survey_year_sane'),
                ),
                migrations.AddConstraint(
                    model_name='survey',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('period_kind', 'quarter'), ('period_number__gte', 1), ('period_number__lte', 4)), models.Q(('period_kind', 'semester'), ('period_number__gte', 1), ('period_number__lte', 2)), models.Q(('period_kind', 'year'), ('period_number', 1)), _connector='OR'), name='survey_period_valid'),
                ),
                migrations.AddConstraint(
                    model_name='surveyservice',
                    constraint=models.UniqueConstraint(fields=('survey', 'name'), name='survey_service_unique_name'),
                ),
                migrations.AddConstraint(
                    model_name='response',
                    constraint=models.CheckConstraint(condition=models.Q(('sex__in', ['', 'L', 'P'])), name='response_sex_valid'),
                ),
                migrations.AddConstraint(
                    model_name='unsur',
                    constraint=models.UniqueConstraint(fields=('survey', 'code'), name='unsur_unique_code'),
                ),
                migrations.AddConstraint(
                    model_name='unsur',
                    constraint=models.CheckConstraint(condition=models.Q(('weight_numerator__gt', 0), ('weight_denominator__gt', 0)), name='unsur_weight_positive'),
                ),
                migrations.AddConstraint(
                    model_name='answer',
                    constraint=models.UniqueConstraint(fields=('response', 'unsur'), name='answer_unique_per_unsur'),
                ),
                migrations.AddConstraint(
                    model_name='answer',
                    constraint=models.CheckConstraint(condition=models.Q(('value__gte', 1), ('value__lte', 4)), name='answer_value_1_to_4'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
