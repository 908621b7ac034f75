using System;
using System.Collections.Generic;
using Targets;

namespace Corpus;

[JitClass]
public sealed class Table
{
    public int[][] Rows;
    public Weight[]?[] Shelves;

    public Table(int n)
    {
        Rows = new int[n][];
        Shelves = new Weight[n][];
    }
}

public struct Span2
{
    public int Start;
    public double Scale;
}

// Arrays of arrays (jagged arrays): rows made, replaced, shared and dropped, each row owned by the array that holds it
// (released when overwritten and with the array); rows of numbers, structs, jit class instances and arrays; null rows
// (NullReferenceException as .NET's) and indices outside a row; Clone, Array.Copy and Array.Resize (shallow: rows are
// shared); a jit class holding jagged fields; two-dimensional arrays of rows and rows of two-dimensional arrays; and
// collections of arrays (List<int[]>, Dictionary<int, double[]>, Queue<long[]>). On cuda they are refused (TGT3011).
public static class JaggedArrays
{
    public static long Pascal(int n)
    {
        n &= 31;
        var rows = new long[n + 1][];
        for (int i = 0; i <= n; i++)
        {
            rows[i] = new long[i + 1];
            rows[i][0] = rows[i][i] = 1;
            for (int j = 1; j < i; j++)
                rows[i][j] = rows[i - 1][j - 1] + rows[i - 1][j];
        }
        long total = 0;
        foreach (long[] row in rows)
            total = total * 3 + row[row.Length / 2];
        return total;
    }

    public static int NullRow(int n)
    {
        var rows = new int[4][];
        rows[n & 3] = new int[] { n, n + 1 };
        rows[(n + 1) & 3] = rows[n & 3]; // one row held twice
        return rows[0][1] + rows[1].Length + (rows[2] is null ? 100 : rows[2][0]);
    }

    public static int OutsideARow(int n)
    {
        var rows = new int[3][];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = new int[i + 1];
        return rows[n & 3][n & 7];
    }

    public static double Replaced(int n)
    {
        n &= 63;
        var rows = new double[8][];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            rows[i & 7] = new double[(i & 3) + 1]; // the row it replaces is released
            rows[i & 7][0] = i * 0.5;
            total += rows[(i * 5) & 7]?[0] ?? -1;
        }
        return total;
    }

    public static double StructRows(int n)
    {
        n &= 15;
        var rows = new Span2[n + 1][];
        for (int i = 0; i <= n; i++)
        {
            rows[i] = new Span2[i + 2];
            for (int j = 0; j < rows[i].Length; j++)
                rows[i][j] = new Span2 { Start = i - j, Scale = j * 0.25 };
        }
        double t = 0;
        foreach (Span2[] row in rows)
        {
            foreach (Span2 s in row)
                t = t * 0.5 + s.Start * s.Scale;
        }
        return t;
    }

    public static double InstanceRows(int n)
    {
        n &= 15;
        var table = new Table(n + 1);
        for (int i = 0; i <= n; i++)
        {
            table.Rows[i] = new int[i];
            table.Shelves[i] = new Weight[i + 1];
            for (int j = 0; j <= i; j++)
                table.Shelves[i]![j] = new Weight(j, i * 0.5 + j);
        }
        table.Shelves[n / 2] = null;
        double t = 0;
        for (int i = 0; i <= n; i++)
        {
            t += table.Rows[i].Length;
            if (table.Shelves[i] is { } shelf)
            {
                foreach (Weight w in shelf)
                    t = t * 0.75 + w.Value - w.Id;
            }
        }
        return t;
    }

    public static int ThreeLevels(int n)
    {
        n &= 7;
        var cube = new int[n + 1][][];
        for (int i = 0; i <= n; i++)
        {
            cube[i] = new int[i + 1][];
            for (int j = 0; j <= i; j++)
            {
                cube[i][j] = new int[j + 1];
                cube[i][j][j] = i * 10 + j;
            }
        }
        int t = 0;
        foreach (int[][] plane in cube)
        {
            foreach (int[] row in plane)
                t = t * 7 + row[^1] + row.Length;
        }
        return t;
    }

    public static int GridOfRowsAndRowsOfGrids(int n)
    {
        n &= 7;
        var grid = new int[2, 3][];
        grid[1, 2] = new int[n + 1];
        grid[1, 2][n] = 9;
        var planes = new int[n + 1][,];
        planes[n] = new int[2, n + 1];
        planes[n][1, n] = 4;
        return grid[1, 2][n] * 10 + planes[n][1, n] + (grid[0, 0] is null ? 1000 : 0) + planes[n].GetLength(1);
    }

    public static int ShallowCopies(int n)
    {
        n &= 15;
        var rows = new int[n + 2][];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = new int[] { i };
        var clone = (int[][])rows.Clone();
        clone[0][0] = 50; // the row is shared
        clone[1] = new int[] { 60 }; // the slot is not
        var wider = new int[rows.Length + 3][];
        Array.Copy(rows, 0, wider, 1, rows.Length);
        Array.Resize(ref rows, 2);
        return rows[0][0] + rows[1][0] * 3 + wider[1][0] * 5 + (wider[0] is null ? 7 : 0) + wider.Length + clone[1][0];
    }

    public static int ListOfRows(int n)
    {
        n &= 31;
        var rows = new List<int[]>();
        for (int i = 0; i < n; i++)
            rows.Add(new int[i + 1]);
        for (int i = rows.Count - 1; i >= 0; i -= 3)
            rows.RemoveAt(i);
        if (rows.Count > 0)
            rows[0] = new int[] { 42 };
        int t = rows.Count;
        foreach (int[] row in rows)
            t = t * 3 + row.Length + row[0];
        return t;
    }

    public static double DictionaryOfRows(int n)
    {
        n &= 31;
        var byKey = new Dictionary<int, double[]>();
        var queue = new Queue<long[]>();
        for (int i = 0; i < n; i++)
        {
            if (!byKey.TryGetValue(i % 5, out double[]? row))
            {
                row = new double[4];
                byKey.Add(i % 5, row);
            }
            row[i & 3] += i * 0.5;
            queue.Enqueue(new long[] { i });
            if ((i & 1) == 0)
                queue.Dequeue();
        }
        byKey.Remove(2);
        double t = queue.Count;
        foreach (var (key, row) in byKey)
            t = t * 0.5 + key + row[0] + row[3];
        while (queue.TryDequeue(out long[]? first))
            t += first[0];
        return t;
    }
}
