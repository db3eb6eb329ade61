# framework: tensorflow
"""tf.data: shuffle buffers, per-epoch reshuffling, why order matters, and the DataLoader equivalent."""
import numpy as np
import tensorflow as tf

try:
    import torch
    from torch.utils.data import DataLoader, TensorDataset
except ImportError:  # the TensorFlow sandbox may not ship PyTorch
    torch = None

print("device:", "cuda" if tf.config.list_physical_devices("GPU") else "cpu")
AUTOTUNE = tf.data.AUTOTUNE


def items(ds):
    return [int(x) for x in ds.as_numpy_iterator()]


# 1. A small buffer only shuffles locally: element i can only move a little.
base = tf.data.Dataset.range(20)
small = items(base.shuffle(buffer_size=3, seed=0))
full = items(base.shuffle(buffer_size=20, seed=0))
print("buffer 3 :", small)
print("buffer 20:", full)
print("first element with buffer 3 is one of 0..2:", small[0] <= 2)

# 2. reshuffle_each_iteration=True (the default): every epoch gets a new order.
ds = tf.data.Dataset.range(6).shuffle(6, seed=1)
print("epoch 1:", items(ds), "epoch 2:", items(ds))

# 3. Order matters: batch-then-shuffle only reorders whole batches.
print("shuffle().batch():", [b.tolist() for b in tf.data.Dataset.range(6).shuffle(6, seed=4).batch(3).as_numpy_iterator()])
print("batch().shuffle():", [b.tolist() for b in tf.data.Dataset.range(6).batch(3).shuffle(6, seed=4).as_numpy_iterator()])

# 4. cache() after a random augmentation freezes the augmentation.
#    A tf.random.Generator keeps its state across epochs; a plain tf.random.uniform under
#    tf.random.set_seed would restart the same sequence every epoch.
rng = tf.random.Generator.from_seed(0)
augment = lambda x: tf.cast(x, tf.float32) + rng.uniform([])
frozen = tf.data.Dataset.range(3).map(augment).cache()
fresh = tf.data.Dataset.range(3).cache().map(augment)
print("map().cache() repeats epoch 1's noise:", np.allclose(list(frozen), list(frozen)))
print("cache().map() draws new noise each epoch:", not np.allclose(list(fresh), list(fresh)))

# 5. A full pipeline feeds Keras directly.
x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
train = (tf.data.Dataset.from_tensor_slices((x, y)).cache().shuffle(64, seed=0)
         .batch(16).prefetch(AUTOTUNE))
model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
hist = model.fit(train, epochs=2, shuffle=False, verbose=0)  # fit cannot shuffle a Dataset itself
print("model.fit on a tf.data.Dataset, batches per epoch:", len(list(train)), "epochs run:", len(hist.history["loss"]))

# 6. The PyTorch counterpart: Dataset + DataLoader.
if torch is None:
    print("PyTorch is not installed here; skipping the DataLoader comparison")
else:
    g = torch.Generator().manual_seed(0)
    loader = DataLoader(TensorDataset(torch.from_numpy(x), torch.from_numpy(y)),
                        batch_size=16, shuffle=True, generator=g, num_workers=0)
    print("DataLoader batches per epoch:", len(loader), "first batch shape:", tuple(next(iter(loader))[0].shape))
