"""L'historique est protégé aussi dans la base : toute mise à jour ou suppression d'une trace échoue,
même en SQL direct (déclencheurs SQLite et PostgreSQL).

TRUNCATE n'est pas intercepté : il est réservé au propriétaire des tables (maintenance, vidage d'une base de
test par Django) ; en production, l'application se connecte avec un rôle qui n'est pas propriétaire.
Conséquence pour les tests : un test « transactionnel » (pytest.mark.django_db(transaction=True)) qui écrit
des traces ne peut pas être vidé sur SQLite (le vidage y passe par DELETE) ; préférer les tests ordinaires.
"""

from django.db import migrations

MESSAGE = "historique inalterable : une trace ne peut etre ni modifiee ni effacee"

SQLITE = [
    f"""CREATE TRIGGER historique_trace_sans_modification BEFORE UPDATE ON historique_trace
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER historique_trace_sans_suppression BEFORE DELETE ON historique_trace
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_RETOUR = [
    "DROP TRIGGER IF EXISTS historique_trace_sans_modification;",
    "DROP TRIGGER IF EXISTS historique_trace_sans_suppression;",
]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION historique_trace_inalterable() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END;
        $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER historique_trace_inalterable BEFORE UPDATE OR DELETE ON historique_trace
        FOR EACH ROW EXECUTE FUNCTION historique_trace_inalterable();""",
]
POSTGRESQL_RETOUR = [
    "DROP TRIGGER IF EXISTS historique_trace_inalterable ON historique_trace;",
    "DROP FUNCTION IF EXISTS historique_trace_inalterable();",
]


def _executer(schema_editor, par_moteur):  # type: ignore[no-untyped-def]
    for sql in par_moteur.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def poser(apps, schema_editor):  # type: ignore[no-untyped-def]
    _executer(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def retirer(apps, schema_editor):  # type: ignore[no-untyped-def]
    _executer(schema_editor, {"sqlite": SQLITE_RETOUR, "postgresql": POSTGRESQL_RETOUR})


class Migration(migrations.Migration):
    dependencies = [("historique", "0001_initial")]
    operations = [migrations.RunPython(poser, retirer)]
