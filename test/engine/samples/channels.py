# layerlens: input=(1, 3, 32, 32)
import torch.nn as nn


def net():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1),  # shape: (1, 32, 32, 32)  params: 896  macs: 884,736
        nn.ReLU(),
        nn.Conv2d(64, 64, 3),  # error: Conv2d expects 64 input channels, gets 32
    )
