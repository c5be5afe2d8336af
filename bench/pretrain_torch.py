#!/usr/bin/python3
"""The pre-training benchmark's reference: PyTorch doing what `reproduce bench pretrain` times.

One training step of BYOL, MoCo v2, SwAV or SparK (docs: METHODS.md §1-§4) on a torchvision
ResNet18/50 trunk with 3 input channels, fp32, on the CPU: forward, backward, the optimizer step and
the EMA / queue / prototype updates. Augmentation is excluded (DESIGN.md §7 "Benchmarks"): the views
are uniform random tensors generated once before timing and reused every step. images/s counts the B
distinct images of a step (SwAV's 8 crops and BYOL's/MoCo's 2 views of an image count once).

Per method, with the reference defaults (peak learning rates scaled linearly in B; no schedule):
  byol    online trunk + projector feat->4096->256 + predictor 256->4096->256 (BN), target trunk +
          projector under no_grad, symmetric loss, LARS (bias/BN excluded), then the EMA (tau 0.996).
  mocov2  query and key encoders = trunk + MLP feat->feat->128, SplitBatchNorm(8) in both trunks (channels-last:
          the batch ordered split by split and each split normalised alone, as `reproduce bench pretrain`)
          (if 8 does not divide B: the largest count <= 8 that does, printed as a note), shuffled
          key batch, key momentum 0.999 before the key forward, queue 65536, T 0.2, SGD.
  swav    2 crops of SIZE + 6 of round(SIZE*96/224), head feat->2048->128 with BN, 3000 prototypes
          normalised before the forward, Sinkhorn (eps 0.05, 3 iterations), swapped prediction,
          LARC + SGD; no queue; the prototypes frozen (no gradient) for the reference's first 313
          steps, as in `reproduce bench pretrain`.
  spark   mask ratio 0.6 on the /32 grid, sparse encoder emulated on dense tensors (conv / pool
          outputs times the mask, BN statistics over visible positions), densify, light UNet
          decoder of width 768, masked-patch loss, LAMB; timm's zero-init last BN, drop path 0.05.

Usage: /usr/bin/python3 bench/pretrain_torch.py --method {byol,mocov2,swav,spark}
           --arch {resnet18,resnet50} --size S --batch B [--threads T] [--steps 20] [--warmup 3] [--channels-last]
`reproduce bench pretrain ... --against-pytorch` runs this script twice a round: as Debian ships PyTorch, and tuned
(--channels-last, with jemalloc preloaded under the settings of Intel's PyTorch CPU tuning guide).
Needs Debian's python3-torch and python3-torchvision (the system interpreter, not a pyenv one).
Prints one line: images/s over the timed steps and the peak resident memory. Notes go to stderr, one
of them when Debian's torch (BLAS_INFO=generic) runs on the netlib reference BLAS: the Linear layers,
MoCo's queue product and SparK's ConvTranspose2d (im2col + gemm in 1.13) then go through it.
"""
import argparse
import copy
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F
import torchvision
from torch import nn


def resnet(arch, **options):
    """A torchvision trunk (§0.2) without its fc: forward gives the pooled features (B, width)."""
    net = getattr(torchvision.models, arch)(weights=None, **options)
    width = net.fc.in_features
    net.fc = nn.Identity()
    return net, width


def mlp(inputs, hidden, outputs, batch_norm, last_bias=True):
    """Linear -> [BatchNorm1d] -> ReLU -> Linear, the heads of §2.1, §3.1 and §4.1."""
    layers = [nn.Linear(inputs, hidden)] + ([nn.BatchNorm1d(hidden)] if batch_norm else [])
    return nn.Sequential(*layers, nn.ReLU(inplace=True), nn.Linear(hidden, outputs, bias=last_bias))


def blas_library():
    """The file behind the libblas.so.3 this process loaded, or None."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libblas" in line}
    return os.path.realpath(paths.pop()) if paths else None


@torch.no_grad()
def ema(target, online, tau):
    """target <- tau * target + (1 - tau) * online, parameters only (BN buffers are not averaged)."""
    for t, o in zip(target.parameters(), online.parameters()):
        t.mul_(tau).add_(o, alpha=1 - tau)


# ---------------------------------------------------------------------------------------- optimizers

class LARS(torch.optim.Optimizer):
    """BYOL's LARS (§2.5). Groups with adapt=False (biases, BN) get plain momentum SGD without WD."""

    def __init__(self, groups, lr, weight_decay, momentum=0.9, eta=1e-3):
        super().__init__(groups, dict(lr=lr, weight_decay=weight_decay, momentum=momentum, eta=eta, adapt=True))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if group["adapt"]:
                    g = g.add(p, alpha=group["weight_decay"])
                    p_norm, g_norm = p.norm(), g.norm()
                    if p_norm > 0 and g_norm > 0:  # trust ratio without eps
                        g = g.mul(group["eta"] * p_norm / g_norm)
                buffer = self.state[p].setdefault("momentum", torch.zeros_like(p))  # mu starts at 0
                buffer.mul_(group["momentum"]).add_(g)
                p.add_(buffer, alpha=-group["lr"])


class LARC:
    """apex LARC with clip=False around torch's SGD (§4.3): rescale (g + wd p), then SGD without WD."""

    def __init__(self, sgd, weight_decay, eta=1e-3):
        self.sgd, self.weight_decay, self.eta = sgd, weight_decay, eta

    def zero_grad(self):
        self.sgd.zero_grad()

    @torch.no_grad()
    def step(self):
        wd = self.weight_decay
        for group in self.sgd.param_groups:  # built with weight_decay=0: LARC zeroes it for the inner step
            for p in group["params"]:
                if p.grad is None:
                    continue
                p_norm, g_norm = p.norm(), p.grad.norm()
                if p_norm != 0 and g_norm != 0:  # otherwise the gradient stays as is (and gets no WD)
                    p.grad.add_(p, alpha=wd).mul_(self.eta * p_norm / (g_norm + wd * p_norm + 1e-8))
        self.sgd.step()


class LAMB(torch.optim.Optimizer):
    """SparK's LAMB (§1.7): global grad-norm clip at 5, Adam moments, trust ratio only where wd != 0."""

    def __init__(self, groups, lr, betas=(0.9, 0.95), eps=1e-6, max_grad_norm=5.0):
        super().__init__(groups, dict(lr=lr, betas=betas, eps=eps, weight_decay=0.0))
        self.max_grad_norm = max_grad_norm

    @torch.no_grad()
    def step(self):
        grads = [p.grad for group in self.param_groups for p in group["params"] if p.grad is not None]
        total = torch.stack([g.norm() for g in grads]).norm()
        clip = torch.clamp(total / self.max_grad_norm, min=1.0)  # grads scaled by 1 / max(1, norm / 5)
        for group in self.param_groups:
            group["step"] = group.get("step", 0) + 1
            (beta1, beta2), wd = group["betas"], group["weight_decay"]
            bc1, bc2 = 1 - beta1 ** group["step"], 1 - beta2 ** group["step"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad / clip
                state = self.state[p]
                if not state:
                    state["m"], state["v"] = torch.zeros_like(p), torch.zeros_like(p)
                m, v = state["m"], state["v"]
                m.mul_(beta1).add_(g, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                update = (m / bc1) / (v.sqrt() / math.sqrt(bc2) + group["eps"])
                if wd != 0:
                    update.add_(p, alpha=wd)
                    p_norm, u_norm = p.norm(), update.norm()
                    update.mul_(torch.where((p_norm > 0) & (u_norm > 0), p_norm / u_norm, torch.ones_like(p_norm)))
                p.add_(update, alpha=-group["lr"])


# ------------------------------------------------------------------------------------------- methods

class Byol:
    """§2.3: per-view online and target forwards, L = l(p1, z'2) + l(p2, z'1), LARS, then the EMA."""

    def __init__(self, arch, size, batch):
        trunk, width = resnet(arch)
        self.online = nn.Sequential(trunk, mlp(width, 4096, 256, True, last_bias=False))
        self.predictor = mlp(256, 4096, 256, True, last_bias=False)
        self.target = copy.deepcopy(self.online).requires_grad_(False)  # copy-init, train mode
        parameters = list(self.online.parameters()) + list(self.predictor.parameters())
        self.optimizer = LARS([{"params": [p for p in parameters if p.ndim > 1]},
                               {"params": [p for p in parameters if p.ndim <= 1], "adapt": False}],  # biases, BN
                              lr=0.2 * batch / 256, weight_decay=1.5e-6)
        self.tau = 0.996
        self.views = [torch.rand(batch, 3, size, size) for _ in range(2)]

    @staticmethod
    def regression(p, z):
        return (2 - 2 * F.cosine_similarity(p, z, dim=1)).mean()  # = mean ||p/|p| - z/|z|||^2

    def step(self):
        p1, p2 = (self.predictor(self.online(x)) for x in self.views)  # BN statistics per view
        with torch.no_grad():
            z1, z2 = (self.target(x) for x in self.views)
        loss = self.regression(p1, z2) + self.regression(p2, z1)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        ema(self.target, self.online, self.tau)  # after the step, with the new online weights
        return loss


class SplitBatchNorm(nn.BatchNorm2d):
    """MoCo's single-device shuffle BN (§0.5, §3.3): statistics over G interleaved sub-batches
    (split g holds samples g, g + G, ...), running statistics averaged over the splits. Channels-last, the
    interleaved view would be a copy into NCHW memory (and the trunk would go on in NCHW): there SplitMajorTrunk
    has put split g in the g-th block of the batch, and each block is normalised by its own call."""

    def __init__(self, channels, splits):
        super().__init__(channels)
        self.splits = splits

    def forward(self, x):
        if not self.training:
            return super().forward(x)
        n, c, h, w = x.shape
        g = self.splits
        mean, var = self.running_mean.repeat(g), self.running_var.repeat(g)
        if x.is_contiguous(memory_format=torch.channels_last):
            means, variances = mean.view(g, c), var.view(g, c)
            y = torch.cat([F.batch_norm(block, means[i], variances[i], self.weight, self.bias, True, self.momentum,
                                        self.eps) for i, block in enumerate(x.chunk(g))])
        else:
            y = F.batch_norm(x.reshape(n // g, c * g, h, w), mean, var, self.weight.repeat(g), self.bias.repeat(g),
                             True, self.momentum, self.eps).reshape(n, c, h, w)
        self.running_mean.copy_(mean.view(g, c).mean(0))
        self.running_var.copy_(var.view(g, c).mean(0))
        return y


class SplitMajorTrunk(nn.Module):
    """A trunk of SplitBatchNorm layers that, channels-last and training, runs on the batch reordered so that block g
    holds split g (samples g, g + G, ...), and restores the order of the pooled features."""

    def __init__(self, trunk, splits):
        super().__init__()
        self.trunk, self.splits = trunk, splits

    def forward(self, x):
        if not (self.training and self.trunk.conv1.weight.is_contiguous(memory_format=torch.channels_last)):
            return self.trunk(x)
        n, g = x.shape[0], self.splits
        split_major = torch.arange(n).view(n // g, g).t().reshape(n)
        original = torch.arange(n).view(g, n // g).t().reshape(n)
        return self.trunk(x[split_major].contiguous(memory_format=torch.channels_last))[original]


class MoCoV2:
    """§3.3: q = f_q(x_q); key momentum update, shuffled key forward; InfoNCE over [l_pos, queue]; enqueue."""

    def __init__(self, arch, size, batch):
        self.splits = max(g for g in range(1, 9) if batch % g == 0)
        trunk, width = resnet(arch, norm_layer=lambda channels: SplitBatchNorm(channels, self.splits))
        self.encoder_q = nn.Sequential(SplitMajorTrunk(trunk, self.splits), mlp(width, width, 128, False))
        self.encoder_k = copy.deepcopy(self.encoder_q).requires_grad_(False)
        self.optimizer = torch.optim.SGD(self.encoder_q.parameters(), lr=0.03 * batch / 256, momentum=0.9,
                                         weight_decay=1e-4)
        self.queue_size, self.momentum, self.temperature = 65536, 0.999, 0.2
        self.queue = F.normalize(torch.randn(128, self.queue_size), dim=0)
        self.pointer = 0
        self.views = [torch.rand(batch, 3, size, size) for _ in range(2)]

    def step(self):
        x_q, x_k = self.views
        q = F.normalize(self.encoder_q(x_q), dim=1)
        with torch.no_grad():
            ema(self.encoder_k, self.encoder_q, self.momentum)  # momentum update first (§3.3 3a)
            shuffle = torch.randperm(x_k.shape[0])
            k = F.normalize(self.encoder_k(x_k[shuffle]), dim=1)[torch.argsort(shuffle)]
        positive = (q * k).sum(1, keepdim=True)
        negative = q @ self.queue.clone()
        logits = torch.cat([positive, negative], dim=1) / self.temperature
        loss = F.cross_entropy(logits, torch.zeros(logits.shape[0], dtype=torch.long))
        # Enqueue after the logits. The reference asserts K % B == 0; indices modulo K cover any B.
        slots = (self.pointer + torch.arange(k.shape[0])) % self.queue_size
        self.queue[:, slots] = k.t()
        self.pointer = (self.pointer + k.shape[0]) % self.queue_size
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss


class SwAV:
    """§4.3: crops concatenated per resolution, codes by Sinkhorn on the two large crops, swapped prediction."""

    def __init__(self, arch, size, batch):
        self.trunk, width = resnet(arch)
        self.head = mlp(width, 2048, 128, True)
        self.prototypes = nn.Linear(128, 3000, bias=False)
        self.model = nn.ModuleList([self.trunk, self.head, self.prototypes])
        self.optimizer = LARC(torch.optim.SGD(self.model.parameters(), lr=0.6 * batch / 256, momentum=0.9,
                                              weight_decay=0), weight_decay=1e-6)
        self.temperature, self.epsilon, self.iterations = 0.1, 0.05, 3
        self.freeze, self.steps = 313, 0  # freeze_prototypes_niters at B = 4096 (§4.1)
        small = round(size * 96 / 224)
        self.large = [torch.rand(batch, 3, size, size) for _ in range(2)]
        self.small = [torch.rand(batch, 3, small, small) for _ in range(6)]

    @torch.no_grad()
    def sinkhorn(self, scores):
        q = torch.exp((scores - scores.max()) / self.epsilon).t()  # K x B'; the max cancels below (§4.3)
        q /= q.sum()
        k, b = q.shape
        for _ in range(self.iterations):
            q /= q.sum(dim=1, keepdim=True)
            q /= k
            q /= q.sum(dim=0, keepdim=True)
            q /= b
        return (q * b).t()

    def step(self):
        with torch.no_grad():
            self.prototypes.weight.copy_(F.normalize(self.prototypes.weight, dim=1))
        features = torch.cat([self.trunk(torch.cat(self.large)), self.trunk(torch.cat(self.small))])
        scores = self.prototypes(F.normalize(self.head(features), dim=1))  # head BN over all 8B rows
        per_crop = scores.chunk(len(self.large) + len(self.small))
        log_probabilities = F.log_softmax(scores / self.temperature, dim=1).chunk(len(per_crop))
        loss = 0
        for i in range(len(self.large)):  # crops_for_assign = [0, 1]; no queue
            codes = self.sinkhorn(per_crop[i].detach())
            others = [v for v in range(len(per_crop)) if v != i]
            loss = loss + sum(-(codes * log_probabilities[v]).sum(1).mean() for v in others) / len(others)
        loss = loss / len(self.large)
        self.optimizer.zero_grad()
        loss.backward()
        if self.steps < self.freeze:  # no gradient: LARC and SGD skip the prototypes, WD and momentum included
            self.prototypes.weight.grad = None
        self.optimizer.step()
        self.steps += 1
        return loss


class SparseMask:
    """The visible-patch grid (B, 1, f, f), 1 = visible, nearest-upsampled to any resolution (§1.2)."""

    def __init__(self):
        self.active, self.cache = None, {}

    def use(self, active):
        self.active, self.cache = active, {}

    def at(self, h, w):
        if (h, w) not in self.cache:
            f = self.active.shape[-1]
            self.cache[(h, w)] = self.active.repeat_interleave(h // f, 2).repeat_interleave(w // f, 3)
        return self.cache[(h, w)]


class SparseBatchNorm(nn.BatchNorm2d):
    """Sparse BN in its masked-statistics form (§1.4): mean and biased variance over visible positions,
    running variance unbiased with n = visible positions, output zero at masked positions."""

    def __init__(self, channels, mask):
        super().__init__(channels)
        self.mask = mask

    def forward(self, x):
        m = self.mask.at(*x.shape[-2:])
        n = m.sum()  # (B, 1, h, w): visible positions, the same for every channel
        mean = (x * m).sum((0, 2, 3), keepdim=True) / n
        centred = x - mean
        var = (centred.square() * m).sum((0, 2, 3), keepdim=True) / n
        with torch.no_grad():
            self.num_batches_tracked.add_(1)
            self.running_mean.mul_(1 - self.momentum).add_(mean.flatten(), alpha=self.momentum)
            self.running_var.mul_(1 - self.momentum).add_(var.flatten() * n / (n - 1).clamp(min=1),
                                                          alpha=self.momentum)
        scale = self.weight.view(1, -1, 1, 1) * (var + self.eps).rsqrt()
        return (centred * scale + self.bias.view(1, -1, 1, 1)) * m


def unet_block(cin, cout):
    """§1.3 step 4: ConvTranspose x2 -> conv3x3 -> BN -> ReLU6 -> conv3x3 -> BN."""
    return nn.Sequential(nn.ConvTranspose2d(cin, cin, 4, 2, 1), nn.Conv2d(cin, cin, 3, 1, 1, bias=False),
                         nn.BatchNorm2d(cin), nn.ReLU6(inplace=True),
                         nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))


class SparKModel(nn.Module):
    """Sparse encoder + densify (sparse BN, mask token, projection) per scale + light UNet decoder (§1.3)."""

    def __init__(self, arch, mask, width=768):
        super().__init__()
        self.mask = mask
        # timm's zero_init_last_bn is torchvision's zero_init_residual (§0.2); every BN is sparse.
        self.encoder, features = resnet(arch, zero_init_residual=True,
                                        norm_layer=lambda channels: SparseBatchNorm(channels, mask))
        masked = lambda module, inputs, output: output * mask.at(*output.shape[-2:])  # noqa: E731
        for module in self.encoder.modules():  # sparse conv and pool: output times the mask (§1.4)
            if isinstance(module, (nn.Conv2d, nn.MaxPool2d)):
                module.register_forward_hook(masked)
        blocks = [b for k in range(1, 5) for b in getattr(self.encoder, f"layer{k}")]
        for i, block in enumerate(blocks):  # timm DropPath on the residual branch after its last BN
            rate = 0.05 * i / (len(blocks) - 1)
            if rate > 0:
                (block.bn3 if hasattr(block, "bn3") else block.bn2).register_forward_hook(self.drop_path(rate))
        channels = [features, features // 2, features // 4, features // 8]  # E4, E3, E2, E1
        self.norms = nn.ModuleList(SparseBatchNorm(c, mask) for c in channels)
        self.mask_tokens = nn.ParameterList(  # truncated at +-0.02 absolute (§1.3 step 3b)
            nn.Parameter(nn.init.trunc_normal_(torch.zeros(1, c, 1, 1), std=0.02, a=-0.02, b=0.02))
            for c in channels)
        self.projections = nn.ModuleList(  # none for E4 if it already has the decoder's width (spark.py)
            nn.Identity() if i == 0 and c == width else nn.Conv2d(c, width >> i, 3 if i else 1, padding=min(i, 1))
            for i, c in enumerate(channels))
        self.decoder = nn.ModuleList(unet_block(width >> i, width >> (i + 1)) for i in range(5))
        self.proj = nn.Conv2d(width >> 5, 3, 1)
        for module in [*self.decoder.modules(), self.proj]:  # LightDecoder.initialize; projections keep defaults
            if isinstance(module, nn.Conv2d):
                nn.init.trunc_normal_(module.weight, std=0.02)
            elif isinstance(module, nn.ConvTranspose2d):  # not a Conv2d subclass
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)) and module.bias is not None:
                nn.init.zeros_(module.bias)

    @staticmethod
    def drop_path(rate):
        def hook(module, inputs, output):
            if not module.training:
                return output
            survivors = (torch.rand(output.shape[0], 1, 1, 1) < 1 - rate).to(output.dtype)
            return output * survivors / (1 - rate)
        return hook

    def forward(self, x):
        e = self.encoder
        x = x * self.mask.at(*x.shape[-2:])  # x_m = x (.) active
        x = e.maxpool(e.relu(e.bn1(e.conv1(x))))
        stages = []  # E1..E4, every activation exactly 0 at masked positions
        for layer in (e.layer1, e.layer2, e.layer3, e.layer4):
            x = layer(x)
            stages.append(x)
        y = 0
        for i, block in enumerate(self.decoder):
            if i < 4:  # densify E4, E3, E2, E1 (§1.3 step 3), then add to the decoder path
                visible = self.mask.at(*stages[3 - i].shape[-2:]) > 0
                dense = torch.where(visible, self.norms[i](stages[3 - i]), self.mask_tokens[i])
                y = y + self.projections[i](dense)
            y = block(y)
        return self.proj(y)


class SparK:
    """§1.3: random mask, sparse encoder, densify, decoder, loss over masked patches, LAMB."""

    def __init__(self, arch, size, batch):
        if size % 32:
            raise SystemExit("spark: the size must be a multiple of 32")
        self.mask = SparseMask()
        self.model = SparKModel(arch, self.mask)
        decay, no_decay = [], []  # no WD on 1-D params, biases and mask tokens (§1.1)
        for name, p in self.model.named_parameters():
            (no_decay if p.ndim <= 1 or name.endswith(".bias") or "mask_token" in name else decay).append(p)
        self.optimizer = LAMB([{"params": decay, "weight_decay": 0.04}, {"params": no_decay, "weight_decay": 0.0}],
                              lr=2e-4 * batch / 256)
        self.grid = size // 32
        self.keep = round(self.grid ** 2 * (1 - 0.6))
        self.views = [torch.rand(batch, 3, size, size)]

    def patchify(self, x):
        b, c, f = x.shape[0], x.shape[1], self.grid
        return x.reshape(b, c, f, 32, f, 32).permute(0, 2, 4, 3, 5, 1).reshape(b, f * f, 32 * 32 * c)

    def step(self):
        (x,) = self.views
        b, f = x.shape[0], self.grid
        keep = torch.rand(b, f * f).argsort(dim=1)[:, :self.keep]  # the len_keep smallest draws (§1.2)
        active = torch.zeros(b, f * f).scatter_(1, keep, 1.0)
        self.mask.use(active.view(b, 1, f, f))
        reconstruction = self.model(x)
        target = self.patchify(x)
        target = (target - target.mean(-1, keepdim=True)) / (target.var(-1, keepdim=True) + 1e-6).sqrt()
        per_patch = (self.patchify(reconstruction) - target).square().mean(-1)
        hidden = 1 - active
        loss = (per_patch * hidden).sum() / (hidden.sum() + 1e-8)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss


def to_channels_last(method):
    """Every network of a method and every 4-d view batch it holds, in channels-last memory. Parameters keep their
    identity (Module.to converts .data in place), so the optimizers built with them stay valid."""
    for name, value in vars(method).items():
        if isinstance(value, nn.Module):
            value.to(memory_format=torch.channels_last)
        elif isinstance(value, list) and value and all(isinstance(t, torch.Tensor) and t.dim() == 4 for t in value):
            setattr(method, name, [t.contiguous(memory_format=torch.channels_last) for t in value])


METHODS = {"byol": Byol, "mocov2": MoCoV2, "swav": SwAV, "spark": SparK}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--method", choices=sorted(METHODS), required=True)
    parser.add_argument("--arch", choices=["resnet18", "resnet50"], required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=20, help="timed steps")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--channels-last", action="store_true",
                        help="networks and views in channels-last (NHWC) memory, as tuned CPU training runs them")
    args = parser.parse_args()
    if args.steps < 1 or args.warmup < 0 or args.batch < 2 or args.size < 32:
        parser.error("need --steps >= 1, --warmup >= 0, --batch >= 2 and --size >= 32")

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    method = METHODS[args.method](args.arch, args.size, args.batch)
    if args.method == "mocov2" and method.splits != 8:
        print(f"note: batch {args.batch} is not divisible by 8; SplitBatchNorm uses {method.splits} splits",
              file=sys.stderr)
    if args.channels_last:
        to_channels_last(method)
    blas = blas_library()
    if blas and "/blas/" in blas:  # Debian's netlib package lives in .../blas/, OpenBLAS in .../openblas-*/
        print(f"note: torch uses the netlib reference BLAS ({blas}); apt's libopenblas0-pthread would replace it",
              file=sys.stderr)
    for _ in range(args.warmup):
        method.step()
    start = time.perf_counter()
    for _ in range(args.steps):
        loss = method.step()
    seconds = time.perf_counter() - start
    if not math.isfinite(loss.item()):
        raise SystemExit(f"{args.method}: the loss is not finite ({loss.item()})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pytorch {torch.__version__} {args.method} {args.arch} {args.size}px batch {args.batch} "
          f"threads {args.threads}: {args.batch * args.steps / seconds:.2f} images/s "
          f"({args.steps} steps in {seconds:.1f} s); peak memory {peak:.0f} MB"
          f"{'; channels-last' if args.channels_last else ''}")


if __name__ == "__main__":
    main()
