"""Runs a notebook headless, as a fresh kernel would, failing on the first cell that raises.

    .venv/bin/python python/run_notebook.py examples/notebook.ipynb

The notebook runs from its own folder with the interpreter running this script (its `python3`
kernel, from ipykernel). The committed file is not changed; the text each cell printed is shown.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# Long enough for a slow machine; the notebook records five seconds in real time.
CELL_TIMEOUT_S = 300


def main(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    )
    # Raises CellExecutionError, with the cell and its traceback, on the first failing cell.
    client.execute()
    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("name") == "stdout":
                print(f"[cell {number}] {output['text'].rstrip()}")
    print(f"{path}: all {sum(c.cell_type == 'code' for c in notebook.cells)} code cells ran")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
