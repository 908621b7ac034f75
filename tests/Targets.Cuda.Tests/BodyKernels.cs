#pragma warning disable CA1051 // jit classes are made of public fields
namespace Targets.Cuda.Tests;

/// <summary>An immutable jit class on cuda (passed by value); hw-tests links this file.</summary>
[JitClass]
public sealed class Body
{
    public float X;
    public float Y;
    public float Mass;

    public Body(float x, float y, float mass)
    {
        X = x;
        Y = y;
        Mass = mass;
    }

    public float Distance(float x, float y) => MathF.Sqrt((X - x) * (X - x) + (Y - y) * (Y - y));

    /// <summary>A new body, moved: the immutable way to change one.</summary>
    public Body Moved(float dx, float dy) => new(X + dx, Y + dy, Mass);

    public void Nudge(float dx) => X += dx;
}

public static class BodyKernels
{
    /// <summary>The pull of one body on points: the body is passed by value.</summary>
    public static void Pull(Index1D i, Body body, float[] xs, float[] ys, float[] pull)
    {
        float d = body.Distance(xs[i], ys[i]);
        pull[i] = body.Mass / (d * d + 1f);
    }

    /// <summary>Bodies made inside the kernel (constructors run on the device) and a method that returns a new one.</summary>
    public static void MakeAndMove(Index1D i, float[] xs, float[] ys)
    {
        var body = new Body(xs[i], ys[i], 1f);
        Body moved = body.Moved(1.5f, -2f);
        xs[i] = moved.X;
        ys[i] = moved.Y + body.Y;
    }

    public static void StoreField(Index1D i, Body body, float[] xs)
    {
        body.X = xs[i];
    }

    public static void CallsAMutator(Index1D i, Body body) => body.Nudge(i);

    public static void Allocates(Index1D i, float[] xs)
    {
        float[] scratch = new float[4];
        xs[i] = scratch[0];
    }
}
