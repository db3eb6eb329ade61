# framework: tensorflow
"""The same tiny MLP in Keras and in PyTorch: tensors, model classes, lazy weights, train/eval switches."""
import numpy as np
import tensorflow as tf

try:
    import torch
    from torch import nn
except ImportError:  # the TensorFlow sandbox may not ship PyTorch
    torch = None

print("device:", "cuda" if tf.config.list_physical_devices("GPU") else "cpu")
tf.random.set_seed(0)

# 1. Tensors: tf.constant is immutable, tf.Variable holds state
c = tf.constant([1.0, 2.0, 3.0])
try:
    c[0] = 10.0
except TypeError:
    print("tf.constant item assignment -> TypeError (immutable)")
v = tf.Variable([1.0, 2.0, 3.0])
v[0].assign(10.0)
print("tf.Variable after assign:", v.numpy())


# 2. A Keras model: subclass keras.Model, implement call()
class TFNet(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(4, activation="relu")  # no input size given
        self.drop = tf.keras.layers.Dropout(0.5)
        self.out = tf.keras.layers.Dense(1)

    def call(self, x, training=False):
        return self.out(self.drop(self.hidden(x), training=training))


net = TFNet()
print("Keras weights before first call:", len(net.weights))
x = np.arange(6, dtype="float32").reshape(2, 3)
y_eval = net(x, training=False)
print("Keras weights after first call:", [tuple(w.shape) for w in net.trainable_variables])
print("training=False is repeatable:", np.allclose(net(x, training=False), y_eval))
print("training=True applies dropout:", not np.allclose(net(x, training=True), y_eval))

# 3. The PyTorch twin: subclass nn.Module, implement forward()
if torch is None:
    print("PyTorch is not installed here; skipping the comparison")
else:
    class TorchNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Linear(3, 4)  # in_features needed up front
            self.drop = nn.Dropout(0.5)
            self.out = nn.Linear(4, 1)

        def forward(self, x):
            return self.out(self.drop(torch.relu(self.hidden(x))))

    tnet = TorchNet()
    with torch.no_grad():  # copy Keras weights; a Keras kernel is (in, out), a torch weight is (out, in)
        for layer, keras_layer in ((tnet.hidden, net.hidden), (tnet.out, net.out)):
            kernel, bias = (w.numpy() for w in keras_layer.weights)
            layer.weight.copy_(torch.from_numpy(kernel.T))
            layer.bias.copy_(torch.from_numpy(bias))
    print("torch parameters:", [tuple(p.shape) for p in tnet.parameters()])
    tnet.eval()  # PyTorch's switch instead of a training argument
    same = np.allclose(tnet(torch.from_numpy(x)).detach().numpy(), y_eval.numpy(), atol=1e-6)
    print("eval-mode outputs match Keras:", same)
    lazy = nn.LazyLinear(4)
    lazy(torch.ones(2, 3))
    print("nn.LazyLinear inferred weight shape:", tuple(lazy.weight.shape))
