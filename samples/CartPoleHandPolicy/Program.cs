// Runs Gymnasium's CartPole-v1 (ScratchRl.CartPole, bit for bit) with a hand-written policy: push the cart towards
// the side the pole is falling to. Ten episodes with seeds 0..9, as env.reset(seed=k) would start them; prints each
// episode's return and the mean. Exits 1 if the policy's mean falls below 200.
using CartPole;

var env = new CartPoleEnv();
Span<float> observation = stackalloc float[env.ObservationSize];
double total = 0;
const int Episodes = 10;
for (ulong seed = 0; seed < Episodes; seed++)
{
    env.Reset(observation, seed);
    float episodeReturn = 0;
    StepResult result;
    do
    {
        // observation = (x, ẋ, θ, θ̇); action 1 pushes right, 0 pushes left
        int action = observation[2] + 0.5f * observation[3] > 0 ? 1 : 0;
        result = env.Step(action, observation);
        episodeReturn += result.Reward;
    }
    while (!result.Done);
    string end = result.Truncated ? "truncated at the step limit" : "pole fell or cart left the track";
    Console.WriteLine($"seed {seed}: return {episodeReturn,3} ({end})");
    total += episodeReturn;
}

double mean = total / Episodes;
Console.WriteLine($"mean return {mean:F1} over {Episodes} episodes");
return mean >= 200 ? 0 : 1;
