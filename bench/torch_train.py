#!/usr/bin/env python3
"""Training-step throughput of the two published networks in PyTorch on the CPU: the peer of
`mumloc bench --train` in bench/torch_compare.sh. The networks are the ones of
../shared/bench/torch_reference.py (imported from the folder given by --reference); one step is
forward, loss (BCE on the probabilities against an all-zero target, summed / batch), backward and
Adam, as mumloc's benchmark does. Prints one line per case: net, size, batch, best frames/s.

Usage: torch_train.py --reference DIR [--threads 2] [--min-time 3]
"""
import argparse
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reference', required=True)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--min-time', type=float, default=3.0)
    ap.add_argument('--cases', default='regression:64:8,voxel:16:8')
    args = ap.parse_args()
    sys.path.insert(0, args.reference)
    import torch
    import torch_reference as ref
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    nets = {'regression': ref.VoxelWiseRegressionNet, 'voxel': ref.VoxelNet2021}
    for case in args.cases.split(','):
        name, size, batch = case.split(':')
        size, batch = int(size), int(batch)
        model = nets[name]().train()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.rand(batch, 4, size, size)
        with torch.no_grad():
            target = torch.zeros_like(model(x))
        bce = torch.nn.BCELoss(reduction='sum')

        def step():
            opt.zero_grad()
            loss = bce(model(x), target) / batch
            loss.backward()
            opt.step()

        for _ in range(2):
            step()
        best, calls, start = 1e30, 0, time.perf_counter()
        while calls < 3 or time.perf_counter() - start < args.min_time:
            t0 = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - t0)
            calls += 1
        print(f'{name} {size} {batch} {batch / best:.2f}', flush=True)


if __name__ == '__main__':
    main()
