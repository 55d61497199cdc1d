import torch
import torch.nn as nn

import fancy_ops  # a compiled extension the analysis cannot read

# layerlens: input=(1, 3, 32, 32)


class Mystery(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        x = self.conv(x)
        x = fancy_ops.warp(x)
        x = x.mean((2, 3))
        return self.fc(x)
