using System.Runtime.InteropServices;

namespace Targets.Llvm.Interop;

/// <summary>
/// LLVM-C 19 entry points (<c>llvm-c/Core.h</c>): contexts, modules, types, values, blocks and the
/// IR builder. Strings passed in are UTF-8 and copied by LLVM; strings returned as <c>nint</c> are
/// owned as each comment says (see <see cref="LlvmStrings"/>).
/// </summary>
#pragma warning disable CA1401, CA5392, SYSLIB1054 // deliberate public, blittable imports resolved by LlvmLibrary.
public static unsafe partial class LlvmApi
{
    const string Lib = LlvmLibrary.Name;

    // Contexts and modules.
    [LibraryImport(Lib)] public static partial void LLVMGetVersion(out uint major, out uint minor, out uint patch);
    [LibraryImport(Lib)] public static partial LLVMContextRef LLVMContextCreate();
    [LibraryImport(Lib)] public static partial void LLVMContextDispose(LLVMContextRef c);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMModuleRef LLVMModuleCreateWithNameInContext(string name, LLVMContextRef c);
    [LibraryImport(Lib)] public static partial void LLVMDisposeModule(LLVMModuleRef m);
    [LibraryImport(Lib)] public static partial LLVMModuleRef LLVMCloneModule(LLVMModuleRef m);
    [LibraryImport(Lib)] public static partial LLVMContextRef LLVMGetModuleContext(LLVMModuleRef m);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void LLVMSetTarget(LLVMModuleRef m, string triple);
    /// <summary>Returns a string owned by the module.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMGetTarget(LLVMModuleRef m);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void LLVMSetDataLayout(LLVMModuleRef m, string layout);
    /// <summary>Free the result with <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMPrintModuleToString(LLVMModuleRef m);
    /// <summary>Free the result with <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMPrintValueToString(LLVMValueRef v);
    /// <summary>Free the result with <see cref="LLVMDisposeMessage"/>.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMPrintTypeToString(LLVMTypeRef t);
    [LibraryImport(Lib)] public static partial void LLVMDisposeMessage(nint message);

    // Types.
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMInt1TypeInContext(LLVMContextRef c);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMInt8TypeInContext(LLVMContextRef c);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMInt16TypeInContext(LLVMContextRef c);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMInt32TypeInContext(LLVMContextRef c);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMInt64TypeInContext(LLVMContextRef c);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMIntTypeInContext(LLVMContextRef c, uint bits);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMFloatTypeInContext(LLVMContextRef c);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMDoubleTypeInContext(LLVMContextRef c);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMVoidTypeInContext(LLVMContextRef c);
    [LibraryImport(Lib)]
    public static partial LLVMTypeRef LLVMFunctionType(LLVMTypeRef ret, LLVMTypeRef* parameters, uint count, int isVarArg);
    [LibraryImport(Lib)]
    public static partial LLVMTypeRef LLVMStructTypeInContext(LLVMContextRef c, LLVMTypeRef* elements, uint count, int packed);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMArrayType2(LLVMTypeRef element, ulong count);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMVectorType(LLVMTypeRef element, uint count);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMTypeOf(LLVMValueRef v);
    [LibraryImport(Lib)] public static partial LLVMTypeKind LLVMGetTypeKind(LLVMTypeRef t);
    [LibraryImport(Lib)] public static partial uint LLVMGetIntTypeWidth(LLVMTypeRef t);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMGlobalGetValueType(LLVMValueRef global);

    // Functions, globals, constants, attributes, metadata.
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMAddFunction(LLVMModuleRef m, string name, LLVMTypeRef functionType);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMGetNamedFunction(LLVMModuleRef m, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMGetNamedGlobal(LLVMModuleRef m, string name);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetFirstFunction(LLVMModuleRef m);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetNextFunction(LLVMValueRef fn);
    [LibraryImport(Lib)] public static partial int LLVMIsDeclaration(LLVMValueRef global);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetParam(LLVMValueRef fn, uint index);
    [LibraryImport(Lib)] public static partial uint LLVMCountParams(LLVMValueRef fn);
    [LibraryImport(Lib)] public static partial void LLVMSetValueName2(LLVMValueRef v, byte* name, nuint length);
    /// <summary>Returns a string owned by the value.</summary>
    [LibraryImport(Lib)] public static partial nint LLVMGetValueName2(LLVMValueRef v, out nuint length);
    [LibraryImport(Lib)] public static partial void LLVMSetLinkage(LLVMValueRef global, LLVMLinkage linkage);
    [LibraryImport(Lib)] public static partial LLVMLinkage LLVMGetLinkage(LLVMValueRef global);
    [LibraryImport(Lib)] public static partial void LLVMSetFunctionCallConv(LLVMValueRef fn, LLVMCallConv cc);
    [LibraryImport(Lib)] public static partial void LLVMSetInstructionCallConv(LLVMValueRef call, LLVMCallConv cc);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMAddGlobal(LLVMModuleRef m, LLVMTypeRef type, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMAddGlobalInAddressSpace(LLVMModuleRef m, LLVMTypeRef type, string name, uint addressSpace);
    [LibraryImport(Lib)] public static partial void LLVMSetInitializer(LLVMValueRef global, LLVMValueRef value);
    [LibraryImport(Lib)] public static partial void LLVMSetGlobalConstant(LLVMValueRef global, int isConstant);
    [LibraryImport(Lib)] public static partial void LLVMSetUnnamedAddress(LLVMValueRef global, int unnamedAddr);
    [LibraryImport(Lib)] public static partial void LLVMSetAlignment(LLVMValueRef v, uint bytes);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMConstInt(LLVMTypeRef t, ulong value, int signExtend);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMConstReal(LLVMTypeRef t, double value);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMConstNull(LLVMTypeRef t);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMConstIntToPtr(LLVMValueRef value, LLVMTypeRef type);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMConstAllOnes(LLVMTypeRef t);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMConstAddrSpaceCast(LLVMValueRef value, LLVMTypeRef type);
    [LibraryImport(Lib)] public static partial LLVMTypeRef LLVMPointerTypeInContext(LLVMContextRef c, uint addressSpace);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetUndef(LLVMTypeRef t);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetPoison(LLVMTypeRef t);
    [LibraryImport(Lib)]
    public static partial LLVMValueRef LLVMConstStringInContext2(LLVMContextRef c, byte* text, nuint length, int dontNullTerminate);
    [LibraryImport(Lib)]
    public static partial LLVMValueRef LLVMConstStructInContext(LLVMContextRef c, LLVMValueRef* values, uint count, int packed);
    [LibraryImport(Lib)] public static partial uint LLVMGetEnumAttributeKindForName(byte* name, nuint length);
    [LibraryImport(Lib)] public static partial LLVMAttributeRef LLVMCreateEnumAttribute(LLVMContextRef c, uint kind, ulong value);
    [LibraryImport(Lib)]
    public static partial LLVMAttributeRef LLVMCreateStringAttribute(LLVMContextRef c, byte* key, uint keyLength, byte* value, uint valueLength);
    [LibraryImport(Lib)] public static partial LLVMAttributeRef LLVMCreateTypeAttribute(LLVMContextRef c, uint kind, LLVMTypeRef type);
    /// <summary>Index: -1 the function, 0 the return value, 1.. the parameters.</summary>
    [LibraryImport(Lib)] public static partial void LLVMAddAttributeAtIndex(LLVMValueRef fn, int index, LLVMAttributeRef attribute);
    [LibraryImport(Lib)] public static partial void LLVMAddCallSiteAttribute(LLVMValueRef call, int index, LLVMAttributeRef attribute);
    [LibraryImport(Lib)] public static partial LLVMMetadataRef LLVMMDStringInContext2(LLVMContextRef c, byte* text, nuint length);
    [LibraryImport(Lib)] public static partial LLVMMetadataRef LLVMMDNodeInContext2(LLVMContextRef c, LLVMMetadataRef* nodes, nuint count);
    [LibraryImport(Lib)] public static partial LLVMMetadataRef LLVMValueAsMetadata(LLVMValueRef v);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMMetadataAsValue(LLVMContextRef c, LLVMMetadataRef md);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void LLVMAddNamedMetadataOperand(LLVMModuleRef m, string name, LLVMValueRef value);
    [LibraryImport(Lib)] public static partial uint LLVMGetMDKindIDInContext(LLVMContextRef c, byte* name, uint length);
    [LibraryImport(Lib)] public static partial void LLVMSetMetadata(LLVMValueRef instruction, uint kind, LLVMValueRef node);
    [LibraryImport(Lib)] public static partial uint LLVMLookupIntrinsicID(byte* name, nuint length);
    [LibraryImport(Lib)]
    public static partial LLVMValueRef LLVMGetIntrinsicDeclaration(LLVMModuleRef m, uint id, LLVMTypeRef* overloadTypes, nuint count);

    // Basic blocks.
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMBasicBlockRef LLVMAppendBasicBlockInContext(LLVMContextRef c, LLVMValueRef fn, string name);
    [LibraryImport(Lib)] public static partial LLVMBasicBlockRef LLVMGetInsertBlock(LLVMBuilderRef b);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetBasicBlockParent(LLVMBasicBlockRef bb);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetBasicBlockTerminator(LLVMBasicBlockRef block);

    // The IR builder.
    [LibraryImport(Lib)] public static partial LLVMBuilderRef LLVMCreateBuilderInContext(LLVMContextRef c);
    [LibraryImport(Lib)] public static partial void LLVMDisposeBuilder(LLVMBuilderRef b);
    [LibraryImport(Lib)] public static partial void LLVMPositionBuilderAtEnd(LLVMBuilderRef b, LLVMBasicBlockRef block);
    [LibraryImport(Lib)] public static partial void LLVMPositionBuilderBefore(LLVMBuilderRef b, LLVMValueRef instruction);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMBuildRet(LLVMBuilderRef b, LLVMValueRef v);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMBuildRetVoid(LLVMBuilderRef b);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMBuildBr(LLVMBuilderRef b, LLVMBasicBlockRef dest);
    [LibraryImport(Lib)]
    public static partial LLVMValueRef LLVMBuildCondBr(LLVMBuilderRef b, LLVMValueRef cond, LLVMBasicBlockRef then, LLVMBasicBlockRef otherwise);
    [LibraryImport(Lib)]
    public static partial LLVMValueRef LLVMBuildSwitch(LLVMBuilderRef b, LLVMValueRef v, LLVMBasicBlockRef otherwise, uint caseCount);
    [LibraryImport(Lib)] public static partial void LLVMAddCase(LLVMValueRef @switch, LLVMValueRef onValue, LLVMBasicBlockRef dest);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMBuildUnreachable(LLVMBuilderRef b);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildAdd(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildSub(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildMul(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildNSWAdd(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildSDiv(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildUDiv(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildSRem(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildURem(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFAdd(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFSub(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFMul(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFDiv(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFRem(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildShl(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildLShr(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildAShr(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildAnd(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildOr(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildXor(LLVMBuilderRef b, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildNeg(LLVMBuilderRef b, LLVMValueRef v, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFNeg(LLVMBuilderRef b, LLVMValueRef v, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildNot(LLVMBuilderRef b, LLVMValueRef v, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildICmp(LLVMBuilderRef b, LLVMIntPredicate op, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildFCmp(LLVMBuilderRef b, LLVMRealPredicate op, LLVMValueRef l, LLVMValueRef r, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildSelect(LLVMBuilderRef b, LLVMValueRef cond, LLVMValueRef then, LLVMValueRef otherwise, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildPhi(LLVMBuilderRef b, LLVMTypeRef t, string name);
    [LibraryImport(Lib)]
    public static partial void LLVMAddIncoming(LLVMValueRef phi, LLVMValueRef* values, LLVMBasicBlockRef* blocks, uint count);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildCall2(LLVMBuilderRef b, LLVMTypeRef functionType, LLVMValueRef fn, LLVMValueRef* args, uint count, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildAlloca(LLVMBuilderRef b, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildArrayAlloca(LLVMBuilderRef b, LLVMTypeRef t, LLVMValueRef count, string name);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMBuildMemSet(LLVMBuilderRef b, LLVMValueRef pointer, LLVMValueRef value, LLVMValueRef length, uint alignment);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildLoad2(LLVMBuilderRef b, LLVMTypeRef t, LLVMValueRef pointer, string name);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMBuildStore(LLVMBuilderRef b, LLVMValueRef v, LLVMValueRef pointer);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildGEP2(LLVMBuilderRef b, LLVMTypeRef t, LLVMValueRef pointer, LLVMValueRef* indices, uint count, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildInBoundsGEP2(LLVMBuilderRef b, LLVMTypeRef t, LLVMValueRef pointer, LLVMValueRef* indices, uint count, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildStructGEP2(LLVMBuilderRef b, LLVMTypeRef t, LLVMValueRef pointer, uint index, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildExtractValue(LLVMBuilderRef b, LLVMValueRef aggregate, uint index, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildExtractElement(LLVMBuilderRef b, LLVMValueRef vector, LLVMValueRef index, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildInsertElement(LLVMBuilderRef b, LLVMValueRef vector, LLVMValueRef element, LLVMValueRef index, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildShuffleVector(LLVMBuilderRef b, LLVMValueRef v1, LLVMValueRef v2, LLVMValueRef mask, string name);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMConstVector(LLVMValueRef* values, uint count);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildInsertValue(LLVMBuilderRef b, LLVMValueRef aggregate, LLVMValueRef element, uint index, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildIntCast2(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, int isSigned, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildTrunc(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildZExt(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildSExt(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFPToSI(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFPToUI(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildSIToFP(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildUIToFP(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFPTrunc(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildFPExt(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildPtrToInt(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildIntToPtr(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial LLVMValueRef LLVMBuildBitCast(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib)]
    public static partial LLVMValueRef LLVMBuildAtomicRMW(LLVMBuilderRef b, LLVMAtomicRMWBinOp op, LLVMValueRef pointer, LLVMValueRef v, LLVMAtomicOrdering ordering, int singleThread);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildFence(LLVMBuilderRef b, LLVMAtomicOrdering ordering, int singleThread, string name);
    [LibraryImport(Lib)]
    public static partial LLVMValueRef LLVMBuildAtomicCmpXchg(LLVMBuilderRef b, LLVMValueRef pointer, LLVMValueRef comparand, LLVMValueRef value,
        LLVMAtomicOrdering successOrdering, LLVMAtomicOrdering failureOrdering, int singleThread);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef LLVMBuildAddrSpaceCast(LLVMBuilderRef b, LLVMValueRef v, LLVMTypeRef t, string name);
    [LibraryImport(Lib)] public static partial void LLVMSetVolatile(LLVMValueRef memoryAccess, int isVolatile);
    [LibraryImport(Lib)] public static partial void LLVMSetOrdering(LLVMValueRef memoryAccess, LLVMAtomicOrdering ordering);

    // Walking a function's code (BriefCode).
    [LibraryImport(Lib)] public static partial LLVMBasicBlockRef LLVMGetFirstBasicBlock(LLVMValueRef fn);
    [LibraryImport(Lib)] public static partial LLVMBasicBlockRef LLVMGetNextBasicBlock(LLVMBasicBlockRef block);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetFirstInstruction(LLVMBasicBlockRef block);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetNextInstruction(LLVMValueRef instruction);
    [LibraryImport(Lib)] public static partial LLVMOpcode LLVMGetInstructionOpcode(LLVMValueRef instruction);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMGetCalledValue(LLVMValueRef call);
    [LibraryImport(Lib)] public static partial LLVMValueRef LLVMIsAFunction(LLVMValueRef v);
    [LibraryImport(Lib)] public static partial uint LLVMGetIntrinsicID(LLVMValueRef fn);
    [LibraryImport(Lib)] public static partial uint LLVMGetNumSuccessors(LLVMValueRef terminator);
    [LibraryImport(Lib)] public static partial LLVMBasicBlockRef LLVMGetSuccessor(LLVMValueRef terminator, uint index);
}
