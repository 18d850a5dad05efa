// Fits a 2-8-1 network to XOR with ScratchRl.TinyTorch, PyTorch's training loop in C#'s casing, saves the weights as
// safetensors (loadable with safetensors.torch.load_file) and checks that a fresh network loaded from the file
// predicts all four rows. Exits 1 if it does not.
using TinyTorch;
using TinyTorch.IO;
using TinyTorch.Nn;
using TinyTorch.Optim;

var rng = new Rng(seed: 0);
var net = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 1, rng));
var optimizer = new Adam(net.Parameters(), lr: 0.02);

var inputs = Torch.FromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
var targets = Torch.FromArray([0f, 1, 1, 0], 4, 1);

for (int step = 1; step <= 500; step++)
{
    optimizer.ZeroGrad();
    var loss = net.Forward(inputs).MseLoss(targets);
    loss.Backward();
    optimizer.Step();
    if (step % 100 == 0)
        Console.WriteLine($"step {step,3}  loss {loss.Item():F6}");
}

string path = Path.Combine(Path.GetTempPath(), $"xor-{Environment.ProcessId}.safetensors");
Safetensors.SaveStateDict(path, net.StateDict());

// A second network with other initial weights, then the trained ones loaded by name: "0.weight", "0.bias", ...
var loaded = new Sequential(new Linear(2, 8, new Rng(seed: 1)), new Tanh(), new Linear(8, 1, new Rng(seed: 2)));
loaded.LoadStateDict(Safetensors.LoadStateDict(path));
File.Delete(path);

using (Torch.NoGrad())
{
    float[] predictions = loaded.Forward(inputs).ToArray();
    bool allRight = true;
    for (int row = 0; row < 4; row++)
    {
        int predicted = predictions[row] > 0.5f ? 1 : 0;
        allRight &= predicted == (int)targets[row, 0];
        Console.WriteLine($"{inputs[row, 0]} xor {inputs[row, 1]} = {predictions[row]:F3} → {predicted}");
    }
    Console.WriteLine(allRight ? "XOR learned" : "XOR not learned");
    return allRight ? 0 : 1;
}
