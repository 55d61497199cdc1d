import torch
import torch.nn as nn


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 5)

    def forward(self, x):
        return self.fc(x)


def make_mlp(width=32):
    return nn.Sequential(
        nn.Linear(20, width),
        nn.Tanh(),
        nn.Linear(width, 4),
    )
