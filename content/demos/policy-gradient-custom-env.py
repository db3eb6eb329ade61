# framework: pytorch
"""A custom environment with the Gymnasium API, solved with REINFORCE (plus a return-normalising baseline)."""
import numpy as np
import torch
import torch.nn as nn
from torch.distributions import Categorical

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device} (policy net); the environment itself runs on CPU with NumPy")


class Corridor:
    """Gymnasium-style env (real code: subclass gymnasium.Env and use gymnasium.spaces).

    Start in cell 0 of a corridor of 6 cells; actions 0=left, 1=right; +1 at the far end,
    -0.01 per step; episodes are truncated after 20 steps.
    """

    n_cells, max_steps = 6, 20
    observation_space = ("Box", (6,), np.float32)  # one-hot position
    action_space = ("Discrete", 2)

    def reset(self, seed=None, options=None):
        if seed is not None or not hasattr(self, "rng"):  # gymnasium.Env: super().reset(seed=seed)
            self.rng = np.random.default_rng(seed)
        self.pos, self.t = 0, 0
        return self._obs(), {}                        # (obs, info)

    def step(self, action):
        slip = self.rng.random() < 0.1                # 10% of moves go the other way
        move = (1 if action == 1 else -1) * (-1 if slip else 1)
        self.pos = int(np.clip(self.pos + move, 0, self.n_cells - 1))
        self.t += 1
        terminated = self.pos == self.n_cells - 1     # reached the goal: a real terminal state
        truncated = self.t >= self.max_steps and not terminated  # time limit: not a terminal state
        reward = 1.0 if terminated else -0.01
        return self._obs(), reward, terminated, truncated, {}

    def _obs(self):
        obs = np.zeros(self.n_cells, dtype=np.float32)
        obs[self.pos] = 1.0
        return obs


env = Corridor()
policy = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 2)).to(device)
opt = torch.optim.Adam(policy.parameters(), lr=0.02)
gamma = 0.99

obs, info = env.reset(seed=0)
for episode in range(1, 121):
    obs, info = env.reset()
    log_probs, rewards, done = [], [], False
    while not done:
        logits = policy(torch.as_tensor(obs, device=device))   # NumPy obs -> tensor
        dist = Categorical(logits=logits)
        action = dist.sample()
        log_probs.append(dist.log_prob(action))                 # keep it for the update
        obs, reward, terminated, truncated, info = env.step(action.item())
        rewards.append(reward)
        done = terminated or truncated
    returns, g = [], 0.0
    for r in reversed(rewards):                                  # discounted return G_t
        g = r + gamma * g
        returns.insert(0, g)
    G = torch.tensor(returns, device=device)
    G = (G - G.mean()) / (G.std() + 1e-8) if len(G) > 1 else G   # baseline: normalise returns
    loss = -(torch.stack(log_probs) * G).sum()                   # REINFORCE
    opt.zero_grad()
    loss.backward()
    opt.step()
    if episode % 30 == 0:
        with torch.no_grad():
            p_right = torch.softmax(policy(torch.eye(6, device=device)), -1)[:5, 1]
        print(f"episode {episode:3d}: steps={len(rewards):2d} return={sum(rewards):+.2f} "
              f"P(right) per cell={[round(p, 2) for p in p_right.tolist()]}")
