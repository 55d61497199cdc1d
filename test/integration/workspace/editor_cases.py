import torch
import torch.nn as nn
import torch.nn.functional as F


def conv3x3(in_planes, out_planes, stride=1):
    """3x3 convolution with padding (torchvision's helper)"""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


def make_layers(cfg):
    layers = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
        else:
            layers += [nn.Conv2d(in_channels, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            in_channels = v
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = conv3x3(in_planes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes),
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = out + self.shortcut(x)
        return F.relu(out)


class EditorNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = make_layers([16, "M", 16])
        self.layer1 = nn.Sequential(BasicBlock(16, 16), BasicBlock(16, 24, stride=2))
        self.attn = nn.MultiheadAttention(24, 4, batch_first=True)
        self.fc = nn.Linear(24 * 4 * 4, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = self.layer1(x)
        x = F.avg_pool2d(x, 2)
        b = x.size(0)
        t = torch.flatten(x, 2).transpose(1, 2)
        t, _ = self.attn(t, t, t)
        x = t.reshape(b, 24, 4, 4)
        x = x.view(x.size(0), -1)
        return self.fc(x)


model = EditorNet()
y = model(torch.randn(8, 3, 32, 32))
