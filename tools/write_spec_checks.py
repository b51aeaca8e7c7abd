"""Write the package migrator/checks from migrator/spec.schema.json: run it after editing the schema (a test says
when it is due)."""
import shutil
from pathlib import Path

from migrator.spec import check_files

if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "migrator" / "checks"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    for name, text in check_files().items():
        (target / name).write_text(text)
    print(f"wrote {target}")
