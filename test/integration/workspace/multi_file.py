import torch
import torch.nn as nn

from netlib.blocks import ConvBlock

# layerlens: input=(1, 3, 32, 32)


class TwoBlocks(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1 = ConvBlock(3, 8)
        self.b2 = ConvBlock(8, 12)

    def forward(self, x):
        return self.b2(self.b1(x))
