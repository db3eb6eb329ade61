# framework: pytorch
"""A 1-D GAN with the standard recipe: two optimizers, alternating steps, detach(), non-saturating G loss."""
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")

real_mean, real_std, z_dim = 3.0, 0.5, 4
G = nn.Sequential(nn.Linear(z_dim, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1)).to(device)
D = nn.Sequential(nn.Linear(1, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1)).to(device)  # outputs a logit
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))   # DCGAN uses lr 2e-4 for images
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
B = 128
ones, zeros = torch.ones(B, 1, device=device), torch.zeros(B, 1, device=device)

for step in range(1, 901):
    real = real_mean + real_std * torch.randn(B, 1, device=device)
    fake = G(torch.randn(B, z_dim, device=device))

    # 1) discriminator: real -> 1, fake -> 0; detach so this step does not backprop into G
    loss_d = bce(D(real), 0.9 * ones) + bce(D(fake.detach()), zeros)   # 0.9: one-sided label smoothing
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()

    # 2) generator, non-saturating loss: label the fakes as REAL and maximise log D(G(z))
    loss_g = bce(D(fake), ones)
    opt_g.zero_grad()          # G's own grads; D's grads from this pass are cleared at its next zero_grad
    loss_g.backward()
    opt_g.step()

    if step % 300 == 0:
        with torch.no_grad():
            s = G(torch.randn(2000, z_dim, device=device))
            d_real = torch.sigmoid(D(real)).mean().item()
            d_fake = torch.sigmoid(D(s)).mean().item()
        print(f"step {step:4d}: loss_D {loss_d.item():.3f} loss_G {loss_g.item():.3f} | "
              f"fake mean {s.mean():.2f} std {s.std():.2f} (target {real_mean} / {real_std}) | "
              f"D(real) {d_real:.2f} D(fake) {d_fake:.2f}")
print("D(real) = D(fake) = 0.45 is the equilibrium: with the real label smoothed to 0.9,\n"
      "the best D outputs 0.9 * p_real / (p_real + p_fake) = 0.45 once the two distributions match")
print("the losses hover instead of going to zero: judge samples (or FID/IS for images), not the loss curves")
