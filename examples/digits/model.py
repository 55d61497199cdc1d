"""A small CNN for handwritten digits, trained by scripts/train_digits.py (see README.md here).

Input: 1x16x16 grayscale digits (sklearn's 8x8 digits upsampled bilinearly), normalised with the
training set's mean and std (examples/digits/expected_logits.json holds both).
"""
import torch
import torch.nn as nn


class DigitsCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.elu = nn.ELU()
        self.fc = nn.Linear(16 * 4 * 4, num_classes)

    def forward(self, x):
        x = self.pool(self.relu(self.bn1(self.conv1(x))))   # 8 x 8 x 8
        x = self.pool(self.elu(self.bn2(self.conv2(x))))    # 16 x 4 x 4
        return self.fc(torch.flatten(x, 1))


# layerlens: input=(1, 1, 16, 16)
