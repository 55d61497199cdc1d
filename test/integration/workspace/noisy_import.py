import torch
import torch.nn as nn
from netlib.noisy import Head


class Wrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = Head()

    def forward(self, x):
        return self.head(x)


model = Wrapper()
y = model(torch.randn(2, 16))
