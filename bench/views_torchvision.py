#!/usr/bin/python3
"""The view benchmark's reference: torchvision making the views `reproduce bench views` times.

Times, per image of a tensor store (every image read from the store, in store order, cycled to --images): turning the
uint8 slice into the pipeline's input, then every view of the method's reference recipe (docs: METHODS.md §1-§4)
through ToTensor and Normalize, the views of a gray image replicated to 3 channels at the end as `reproduce` does.
Not timed: reading the store's description, building the transforms, 4 warm-up images per worker. views/s counts
every view (BYOL 2, MoCo v2 2, SwAV 8, SparK 1 per image); views/s per core is that over --threads.

  byol    2 x SIZE: RRC(0.08-1, bicubic), flip, ColorJitter(0.4, 0.4, 0.2, 0.1) p 0.8, grayscale p 0.2, blur
          sigma 0.1-2 p 1.0 / 0.1, solarize p 0 / 0.2
  mocov2  2 x SIZE: RRC(0.2-1, bilinear), ColorJitter(0.4, 0.4, 0.4, 0.1) p 0.8, grayscale p 0.2, blur p 0.5, flip
  swav    2 x SIZE RRC(0.14-1) + 6 x round(SIZE*96/224) RRC(0.05-0.14), bilinear; flip, ColorJitter(0.8, 0.8, 0.8,
          0.2) p 0.8, grayscale p 0.2, blur p 0.5, SwAV's std (0.228, 0.224, 0.225)
  spark   1 x SIZE: RRC(0.67-1, bicubic), flip

Two variants (--path):
  pil     the references' own loaders: PIL images, torchvision transforms on PIL, PIL's ImageFilter.GaussianBlur
          (MoCo's and SwAV's blur), ImageOps.solarize, then ToTensor and Normalize.
  tensor  torchvision.transforms on float tensors in [0, 1] (ToTensor first): resizes with antialias=True (what PIL
          does, and `reproduce`), torchvision's GaussianBlur with BYOL's 23-tap kernel, RandomSolarize(0.5).
--rgb converts each slice to RGB first, as the references' ImageFolder loaders do (3x the pixels); without it the
pipeline runs on the 1-channel slice, as `reproduce` does.

Threads: --threads T runs T worker processes (fork), each on its share of the images with torch.set_num_threads(1),
so views/s per core is comparable with `reproduce bench views --threads T`; pin them with `taskset -c 0-(T-1)`.

Usage: /usr/bin/python3 bench/views_torchvision.py --method {byol,mocov2,swav,spark} [--size 224] [--threads 1]
           [--path pil|tensor|both] [--rgb] (--store DIR | --synthetic N [--side 512]) [--images N]
Needs Debian's python3-torch, python3-torchvision, python3-pil and python3-numpy (the system interpreter).
Prints one line per path: views/s, views/s per core, views per CPU-second (steadier on a shared machine) and the peak
resident memory (this process and its workers).
"""
import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import time

import numpy as np
import torch
import torchvision.transforms as T
from PIL import Image, ImageFilter, ImageOps

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
SWAV_STD = [0.228, 0.224, 0.225]


class PilBlur:
    """MoCo v2's / SwAV's GaussianBlur: PIL's filter with a radius drawn in [0.1, 2]."""

    def __call__(self, image):
        return image.filter(ImageFilter.GaussianBlur(radius=random.uniform(0.1, 2.0)))


class PilSolarize:
    def __call__(self, image):
        return ImageOps.solarize(image)


def replicate(tensor):
    return tensor.expand(3, -1, -1) if tensor.shape[0] == 1 else tensor


def recipe(method, size, path):
    """The method's views as torchvision pipelines (list, one per view), for PIL images or float tensors."""
    pil = path == "pil"
    resize = {"antialias": True} if not pil else {}
    bicubic, bilinear = T.InterpolationMode.BICUBIC, T.InterpolationMode.BILINEAR

    def blur(p):
        return T.RandomApply([PilBlur()], p=p) if pil else T.RandomApply([T.GaussianBlur(23, sigma=(0.1, 2.0))], p=p)

    def solarize(p):
        return T.RandomApply([PilSolarize()], p=p) if pil else T.RandomSolarize(0.5, p=p)

    def finish(std):
        steps = [T.ToTensor()] if pil else []
        return steps + [T.Lambda(replicate), T.Normalize(IMAGENET_MEAN, std)]

    if method == "byol":
        def view(blur_p, solarize_p):
            return T.Compose([T.RandomResizedCrop(size, scale=(0.08, 1.0), interpolation=bicubic, **resize),
                              T.RandomHorizontalFlip(),
                              T.RandomApply([T.ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8),
                              T.RandomGrayscale(0.2), blur(blur_p), solarize(solarize_p)] + finish(IMAGENET_STD))
        return [view(1.0, 0.0), view(0.1, 0.2)]
    if method == "mocov2":
        view = T.Compose([T.RandomResizedCrop(size, scale=(0.2, 1.0), interpolation=bilinear, **resize),
                          T.RandomApply([T.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8),
                          T.RandomGrayscale(0.2), blur(0.5), T.RandomHorizontalFlip()] + finish(IMAGENET_STD))
        return [view, view]
    if method == "swav":
        def view(side, scale):
            return T.Compose([T.RandomResizedCrop(side, scale=scale, interpolation=bilinear, **resize),
                              T.RandomHorizontalFlip(),
                              T.RandomApply([T.ColorJitter(0.8, 0.8, 0.8, 0.2)], p=0.8),
                              T.RandomGrayscale(0.2), blur(0.5)] + finish(SWAV_STD))
        small = round(size * 96 / 224)
        return [view(size, (0.14, 1.0))] * 2 + [view(small, (0.05, 0.14))] * 6
    if method == "spark":
        return [T.Compose([T.RandomResizedCrop(size, scale=(0.67, 1.0), interpolation=bicubic, **resize),
                           T.RandomHorizontalFlip()] + finish(IMAGENET_STD))]
    raise SystemExit(f"unknown method {method}")


def load_images(args):
    """The store's uint8 slices (N, H, W), read-only: a memory map of images.u8, or the synthetic store recomputed."""
    if args.store:
        with open(os.path.join(args.store, "store.json")) as f:
            description = json.load(f)
        count, height, width = description["count"], description["height"], description["width"]
        return np.memmap(os.path.join(args.store, "images.u8"), dtype=np.uint8, mode="r", shape=(count, height, width))
    # ViewsBenchmark.SyntheticPixel: (7y + 3x + 11i + (y*x >> 6)) & 255.
    y = np.arange(args.side, dtype=np.int64).reshape(-1, 1)
    x = np.arange(args.side, dtype=np.int64).reshape(1, -1)
    return np.stack([((7 * y + 3 * x + 11 * i + ((y * x) >> 6)) & 255).astype(np.uint8) for i in range(args.synthetic)])


def make_input(slice_u8, path, rgb):
    if path == "pil":
        image = Image.fromarray(np.asarray(slice_u8))
        return image.convert("RGB") if rgb else image
    tensor = torch.from_numpy(np.array(slice_u8)).unsqueeze(0).float().div_(255)
    return tensor.expand(3, -1, -1).contiguous() if rgb else tensor


def work(job):
    """One worker: its positions, timed after 4 warm-up images; returns (views, seconds, CPU seconds)."""
    args, path, positions, seed = job
    torch.set_num_threads(1)
    random.seed(seed)
    torch.manual_seed(seed)
    images = load_images(args)
    views = recipe(args.method, args.size, path)
    for position in positions[:4]:
        for view in views:
            view(make_input(images[position % len(images)], path, args.rgb))
    started, cpu = time.perf_counter(), time.process_time()
    for position in positions:
        source = make_input(images[position % len(images)], path, args.rgb)
        for view in views:
            view(source)
    return len(positions) * len(views), time.perf_counter() - started, time.process_time() - cpu


def run(args, path):
    shares = [list(range(w, args.images, args.threads)) for w in range(args.threads)]
    jobs = [(args, path, share, 1000 + w) for w, share in enumerate(shares)]
    if args.threads == 1:
        results = [work(jobs[0])]
    else:
        with multiprocessing.get_context("fork").Pool(args.threads) as pool:
            results = pool.map(work, jobs)
    # The workers run at once: the aggregate rate is the sum of theirs.
    rate = sum(views / seconds for views, seconds, _ in results)
    per_cpu_second = sum(views for views, _, _ in results) / sum(cpu for _, _, cpu in results)
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) // 1024
    channels = "rgb" if args.rgb else "gray"
    print(f"torchvision {path} ({channels}) {args.method} {args.size}px threads {args.threads}: {rate:.0f} views/s = "
          f"{rate / args.threads:.0f} views/s per core, {per_cpu_second:.0f} per CPU-second; peak RSS {peak} MB (torch {torch.__version__})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", required=True, choices=["byol", "mocov2", "swav", "spark"])
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--path", choices=["pil", "tensor", "both"], default="both")
    parser.add_argument("--rgb", action="store_true")
    parser.add_argument("--store")
    parser.add_argument("--synthetic", type=int)
    parser.add_argument("--side", type=int, default=512)
    parser.add_argument("--images", type=int, help="images to time (default: the store's count)")
    args = parser.parse_args()
    if (args.store is None) == (args.synthetic is None):
        raise SystemExit("give exactly one of --store and --synthetic")
    if args.images is None:
        args.images = len(load_images(args))
    for path in (["pil", "tensor"] if args.path == "both" else [args.path]):
        run(args, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
