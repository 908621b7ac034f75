using System;
using System.Numerics;

namespace Corpus;

// System.Numerics.Complex, compiled from .NET's own IL: arithmetic, Magnitude, Conjugate, the
// static constants, and a Mandelbrot iteration.
public static class ComplexNumbers
{
    public static int Mandelbrot(double re, double im)
    {
        var c = new Complex(re, im);
        Complex z = Complex.Zero;
        int k = 0;
        while (k < 200 && z.Magnitude <= 2)
        {
            z = z * z + c;
            k++;
        }
        return k;
    }

    public static double Arithmetic(double a, double b, double c, double d)
    {
        var x = new Complex(a, b);
        var y = new Complex(c, d);
        Complex sum = x + y, difference = x - y, product = x * y, quotient = x / y;
        return sum.Real + difference.Imaginary * 3 + product.Real * 5 + quotient.Imaginary * 7 + quotient.Real;
    }

    public static double Constants(double a)
    {
        Complex z = a * Complex.ImaginaryOne + Complex.One;
        return z.Real + Complex.Conjugate(z).Imaginary * 10 - (-z).Real;
    }

    public static double ComplexArrays(int n, double step)
    {
        n &= 31;
        var points = new Complex[n];
        for (int i = 0; i < n; i++)
            points[i] = new Complex(i * step, -i);
        Complex total = 0;
        foreach (Complex p in points)
            total += p * p;
        return total.Real + total.Imaginary + Complex.Abs(total);
    }
}
