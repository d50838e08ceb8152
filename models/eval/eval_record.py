"""How the torch evaluators (tiny-eval.py, sketch-eval.py, style-eval.py) record a result."""
import json
import os


def record_eval(result, json_path="", metrics_path=""):
    """Print `result` and write it as {"eval": result} to json_path (a fresh file) and into
    metrics_path (the model's metrics.json: its other keys are kept)."""
    print(json.dumps(result, indent=1))
    for path in (json_path, metrics_path):
        if path:
            prev = json.load(open(path)) if os.path.exists(path) and path == metrics_path else {}
            prev.update({"eval": result})
            with open(path, "w") as f:
                json.dump(prev, f, indent=2)
                f.write("\n")
