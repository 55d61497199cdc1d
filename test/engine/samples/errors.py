# layerlens: input=(1, 3, 28, 28)
import torch
import torch.nn as nn


class Bad(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.c2 = nn.Conv2d(16, 32, 5)
        self.fc = nn.Linear(400, 10)  # error: Linear expects 400 input features, gets 512 = 32·4·4

    def forward(self, x):
        x = self.pool(torch.relu(self.c1(x)))  # shape: (1, 16, 12, 12)  params: 1,216  macs: 691,200
        x = self.pool(torch.relu(self.c2(x)))  # shape: (1, 32, 4, 4)  params: 12,832  macs: 819,200
        x = torch.flatten(x, 1)
        return self.fc(x)
