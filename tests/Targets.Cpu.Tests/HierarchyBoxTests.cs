namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

[JitClass]
public abstract class Vehicle
{
    public int Wheels;

    protected Vehicle(int wheels) => Wheels = wheels;

    public abstract int Speed();

    public virtual int Cost() => Wheels * 100;
}

[JitClass]
public sealed class Car : Vehicle
{
    public int Seats;

    public Car(int seats) : base(4) => Seats = seats;

    public override int Speed() => 120 + Seats;
}

[JitClass]
public sealed class Bike : Vehicle
{
    public Bike() : base(2) { }

    public override int Speed() => 25;

    public override int Cost() => base.Cost() + 7;
}

/// <summary>Holds a vehicle of any class in a base-typed field.</summary>
[JitClass]
public sealed class Garage
{
    public Vehicle? Parked;

    public int ParkedRate() => Parked is null ? -1 : Fleet.Rate(Parked);
}

public static class Fleet
{
    public static int Rate(Vehicle v) => v.Speed() * 10 + v.Cost();

    public static Vehicle Pick(int k) => k == 0 ? new Car(k + 5) : new Bike();

    public static Vehicle[] Both(int seats) => [new Car(seats), new Bike()];

    /// <summary>A local of the base type that only ever holds a new Bike: its calls go to Bike's members directly.</summary>
    public static int FreshCost(int extra)
    {
        Vehicle v = new Bike();
        return v.Cost() + v.Speed() + extra;
    }

    /// <summary>A type pattern: the pattern variable is a Car, whose members are called directly.</summary>
    public static int TestedSpeed(Vehicle v) => v is Car c ? c.Speed() : -1;
}

/// <summary>
/// Boxes of derived jit classes at the host boundary: a function returning the base gives a box of the instance's
/// own class, a parameter of the base takes boxes of every derived class (Invoke, typed delegates), base fields and
/// virtual members reach the box by name and through <c>dynamic</c>, and <see cref="JitClassType.IsInstance"/>
/// follows the hierarchy. .NET runs the same methods on ordinary objects.
/// </summary>
public sealed class HierarchyBoxTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void A_base_typed_result_is_a_box_of_the_instance_class()
    {
        CompiledFunction pick = Cpu.Compile(Fleet.Pick);
        using var car = (JitObject)pick.Invoke(0)!;
        using var bike = (JitObject)pick.Invoke(1)!;
        Assert.Equal(typeof(Car), car.Type.ClrType);
        Assert.Equal(typeof(Bike), bike.Type.ClrType);
        Assert.Equal(5, car.Get<int>("Seats"));
        Assert.Equal(4, car.Get<int>("Wheels")); // a base field, set by the base's constructor
        Assert.Equal(2, bike.Get<int>("Wheels"));
        Assert.True(JitClass.Define<Vehicle>().IsInstance(car));
        Assert.False(JitClass.Define<Bike>().IsInstance(car));
    }

    [Fact]
    public void A_base_typed_parameter_takes_boxes_of_every_derived_class()
    {
        CompiledFunction rate = Cpu.Compile(Fleet.Rate);
        var typed = rate.AsDelegate<Func<JitObject, int>>();
        using JitObject car = Cpu.New(JitClass.Define<Car>(), 3);
        using JitObject bike = Cpu.New(JitClass.Define<Bike>());
        Assert.Equal(Fleet.Rate(new Car(3)), rate.Invoke(car));
        Assert.Equal(Fleet.Rate(new Bike()), rate.Invoke(bike));
        Assert.Equal(Fleet.Rate(new Bike()), typed(bike));
        car.Set("Wheels", 6);
        var reference = new Car(3) { Wheels = 6 };
        Assert.Equal(Fleet.Rate(reference), typed(car));
        using JitObject unrelated = Cpu.New(JitClass.Define<Scaled>(), 1.0);
        Assert.Contains("must be a JitObject of Vehicle", Assert.Throws<ArgumentException>(() => rate.Invoke(unrelated)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Virtual_members_run_the_box_class_override_through_dynamic()
    {
        using JitObject bike = Cpu.New(JitClass.Define<Bike>());
        dynamic d = bike;
        Assert.Equal(25, (int)d.Speed());
        Assert.Equal(new Bike().Cost(), (int)d.Cost());
    }

    [Fact]
    public void An_array_of_the_base_comes_back_as_boxes_of_each_class()
    {
        var boxes = (JitObject[])Cpu.Compile(Fleet.Both).Invoke(7)!;
        try
        {
            Assert.Equal([typeof(Car), typeof(Bike)], boxes.Select(b => b.Type.ClrType));
            Assert.Equal(7, boxes[0].Get<int>("Seats"));
        }
        finally
        {
            foreach (JitObject box in boxes)
                box.Dispose();
        }
    }

    [Fact]
    public void A_base_typed_field_takes_a_derived_box_from_dotnet_and_gives_back_a_box_of_its_class()
    {
        using JitObject garage = Cpu.New(JitClass.Define<Garage>());
        using (JitObject bike = Cpu.New(JitClass.Define<Bike>()))
            garage.Set("Parked", bike);
        Assert.Equal(Fleet.Rate(new Bike()), (int)garage.Invoke("ParkedRate")!);
        using (var parked = (JitObject)garage.Get("Parked")!)
            Assert.Equal(typeof(Bike), parked.Type.ClrType);
        using JitObject unrelated = Cpu.New(JitClass.Define<Scaled>(), 1.0);
        Assert.Contains("holds a Vehicle", Assert.Throws<ArgumentException>(() => garage.Set("Parked", unrelated)).Message, StringComparison.Ordinal);
        garage.Set("Parked", null);
        Assert.Equal(-1, (int)garage.Invoke("ParkedRate")!);
    }

    /// <summary>
    /// Devirtualisation where the exact class is known: a fresh <c>new</c> (the local is typed by what is stored in it)
    /// and a type pattern (its variable has the tested class) call the implementations directly; a base-typed
    /// parameter goes through the method's dispatch.
    /// </summary>
    [Fact]
    public void Calls_on_a_fresh_instance_or_a_tested_one_are_direct()
    {
        const string DispatchCall = @"call \S+\.dispatch\(";
        Assert.DoesNotMatch(DispatchCall, Cpu.Compile(Fleet.FreshCost).Inspect(Stage.Ir));
        Assert.DoesNotMatch(DispatchCall, Cpu.Compile(Fleet.TestedSpeed).Inspect(Stage.Ir));
        Assert.Matches(DispatchCall, Cpu.Compile(Fleet.Rate).Inspect(Stage.Ir));
        Assert.Equal(Fleet.FreshCost(3), Cpu.Compile(Fleet.FreshCost).Invoke(3));
        using JitObject car = Cpu.New(JitClass.Define<Car>(), 2);
        Assert.Equal(Fleet.TestedSpeed(new Car(2)), Cpu.Compile(Fleet.TestedSpeed).Invoke(car));
    }

    [Fact]
    public void An_abstract_class_cannot_be_made()
    {
        var e = Assert.Throws<ArgumentException>(() => Cpu.New(JitClass.Define<Vehicle>(), 3));
        Assert.Contains("Vehicle is abstract", e.Message, StringComparison.Ordinal);
    }
}
