"""Store an ONNX model's large float32 weights as float16 (half the file size)."""
import numpy as np
import onnx
from onnx import helper, numpy_helper


def is_structural(arr):
    """All-integer tables (one-hot index rows, ranges) are structure, not learned weights:
    float16 holds integers exactly only up to 2048, so these stay float32."""
    return bool(np.all(arr == np.round(arr)))


def fp16_storage(model, min_elements=256):
    """Store large float32 weights as float16 + a Cast back to float32 (half the file size).
    Computation stays float32 on every execution provider (ORT folds the Cast at load); the
    only change is the weights' rounding to float16, measured by check_onnx.mjs."""
    g = model.graph
    casts = []
    for init in g.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            continue
        arr = numpy_helper.to_array(init)
        if arr.size < min_elements or is_structural(arr):
            continue
        name = init.name
        init.CopyFrom(numpy_helper.from_array(arr.astype(np.float16), name + "_fp16"))
        casts.append(helper.make_node("Cast", [name + "_fp16"], [name], name=name + "_cast", to=onnx.TensorProto.FLOAT))
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)


def round_weights_to_fp16(module, min_elements=256):
    """Round a torch module's weights (and float buffers, e.g. a frozen embedding table) the
    way fp16_storage stores them, so torch's reference outputs are those of the shipped file."""
    import itertools
    import torch
    with torch.no_grad():
        for q in itertools.chain(module.parameters(), module.buffers()):
            if q.is_floating_point() and q.numel() >= min_elements and not is_structural(q.numpy()):
                q.copy_(q.half().float())
