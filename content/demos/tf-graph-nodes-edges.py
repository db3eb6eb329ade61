# framework: tensorflow
"""A TF2 graph up close: operations are nodes, tensors are data edges, control edges only order."""
import os
import tempfile

import tensorflow as tf

print("device:", "cuda" if tf.config.list_physical_devices("GPU") else "cpu")


@tf.function
def affine(x, w, b):
    y = tf.matmul(x, w) + b
    log = tf.print("computed y", output_stream="file:///dev/null")  # a stateful op with no outputs
    with tf.control_dependencies([log]):                            # order only, no data
        out = tf.nn.relu(y)
    return out


spec = (tf.TensorSpec([None, 3], tf.float32), tf.TensorSpec([3, 2], tf.float32), tf.TensorSpec([2], tf.float32))
graph = affine.get_concrete_function(*spec).graph  # tracing builds a tf.Graph

print("\nNODES (tf.Operation): name / type")
for op in graph.get_operations():
    print(f"  {op.name:12s} {op.type}")

print("\nDATA EDGES (tf.Tensor): producer:output -> consumer, dtype, shape")
for op in graph.get_operations():
    for t in op.inputs:
        print(f"  {t.name:12s} -> {op.name:10s} {t.dtype.name:8s} {t.shape}")

print("\nCONTROL EDGES (no tensor flows, only 'run after'):")
for op in graph.get_operations():
    for dep in op.control_inputs:
        print(f"  {dep.name} ... before ... {op.name}")

print("(NoOp/Identity edges were added by tf.function's automatic control dependencies,")
print(" which make sure stateful ops such as PrintV2 run before the function returns)")

gdef = graph.as_graph_def()
relu = next(n for n in gdef.node if n.op == "Relu")
print(f"\nserialised GraphDef: {len(gdef.node)} NodeDefs; Relu's inputs {list(relu.input)} ('^' = control edge)")


class Affine(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(tf.ones([3, 2]))
        self.b = tf.Variable(tf.zeros([2]))

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def __call__(self, x):
        return tf.nn.relu(tf.matmul(x, self.w) + self.b)


path = os.path.join(tempfile.mkdtemp(), "affine")
tf.saved_model.save(Affine(), path)  # what gets exported is this graph plus the variable values
restored = tf.saved_model.load(path)
print("SavedModel reloaded and run from its graph:", restored(tf.ones([1, 3])).numpy().tolist())
