# layerlens: input=(2, 3, 8, 8)
import torch.nn as nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)  # params: 224  macs: 27,648
        self.bn = nn.BatchNorm2d(num_features=16)  # error: BatchNorm2d expects 16 features (channels), gets 8

    def forward(self, x):
        return self.bn(self.conv(x))
