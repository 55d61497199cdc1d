# layerlens: input=(2, 3, 32, 32)
import math
from functools import partial
from enum import Enum
from dataclasses import dataclass
from typing import List, Optional
import torch
import torch.nn as nn
import torch.nn.functional as F


class Act(Enum):
    RELU = "relu"
    GELU = "gelu"


@dataclass
class StageCfg:
    channels: int
    blocks: int
    stride: int = 2


def make_act(kind: Act) -> nn.Module:
    return nn.ReLU() if kind is Act.RELU else nn.GELU()


class ConvBN(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1, **kwargs):
        pad = (k - 1) // 2
        super().__init__(nn.Conv2d(cin, cout, k, stride, pad, bias=False, **kwargs), nn.BatchNorm2d(cout))


class Block(nn.Module):
    expansion = 1

    def __init__(self, cin, cout, stride=1, act=Act.RELU):
        super().__init__()
        self.body = nn.ModuleList([ConvBN(cin, cout, stride=stride), ConvBN(cout, cout * self.expansion)])
        self.act = make_act(act)
        self.skip = nn.Identity() if stride == 1 and cin == cout else ConvBN(cin, cout, k=1, stride=stride)

    @property
    def out_channels(self):
        return self.body[-1][0].out_channels

    def forward(self, x):
        y = x
        for i, layer in enumerate(self.body):
            y = layer(y)
            if i < len(self.body) - 1:
                y = self.act(y)
        return self.act(y + self.skip(x))


class Net(nn.Module):
    def __init__(self, stages: Optional[List[StageCfg]] = None, num_classes=10, width_mult=1.0):
        super().__init__()
        stages = stages or [StageCfg(16, 1, 1), StageCfg(32, 2), StageCfg(64, 1)]
        widths = [int(math.ceil(s.channels * width_mult / 8) * 8) for s in stages]
        self.stem = ConvBN(3, widths[0])
        layers = []
        cin = widths[0]
        for cfg, w in zip(stages, widths):
            for b in range(cfg.blocks):
                layers.append(Block(cin, w, cfg.stride if b == 0 else 1, act=Act.GELU if w >= 64 else Act.RELU))
                cin = w
        self.blocks = nn.Sequential(*layers)
        self.heads = nn.ModuleDict({"cls": nn.Linear(cin, num_classes), "aux": nn.Linear(cin, 2)})
        self.scale = nn.Parameter(torch.ones(1))
        self.frozen = nn.Linear(4, 4)
        for p in self.frozen.parameters():
            p.requires_grad = False
        self.out_dim = {k: v.out_features for k, v in self.heads.items()}

    def forward(self, x):
        x = F.relu(self.stem(x))  # shape: (2, 16, 32, 32)  params: 464  macs: 884,736
        x = self.blocks(x)
        b, c, h, w = x.shape
        tokens = x.flatten(2).transpose(1, 2)
        pooled = tokens.mean(dim=1) * self.scale
        logits = self.heads["cls"](pooled)  # shape: (2, 10)  params: 650  macs: 1,280
        aux = self.heads["aux"](pooled)  # shape: (2, 2)  params: 130  macs: 256
        return torch.cat([logits, aux], dim=-1)
