package dev.holdfast.lock.compat.redisson3;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * A field or method reference in a class file's constant pool, as the JVM resolves it when an
 * instruction first uses it: by owner, name and descriptor, so a renamed constant or a changed
 * signature fails here as it would fail there, with a {@code NoSuchFieldError} or {@code
 * NoSuchMethodError}.
 *
 * @param kind {@code Fieldref}, {@code Methodref} or {@code InterfaceMethodref}
 * @param owner the owner's binary name, with slashes
 * @param name the member's name; {@code <init>} for a constructor
 * @param descriptor the JVM descriptor, such as {@code (I)Ljava/lang/String;}
 */
record MemberReference(String kind, String owner, String name, String descriptor) {

  private static final int FIELD_REF = 9;
  private static final int METHOD_REF = 10;
  private static final int INTERFACE_METHOD_REF = 11;

  /** Every field and method reference in a class file (JVMS 4.4), in constant pool order. */
  static List<MemberReference> in(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    in.skipBytes(8); // magic, minor and major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] first = new int[count];
    int[] second = new int[count];
    int[] tags = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      tags[i] = tag;
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
        case 3, 4 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // a long or double takes two entries
        }
        case 9, 10, 11, 12, 17, 18 -> {
          first[i] = in.readUnsignedShort();
          second[i] = in.readUnsignedShort();
        }
        case 15 -> {
          in.skipBytes(1);
          first[i] = in.readUnsignedShort();
        }
        default -> throw new IOException("Unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    List<MemberReference> references = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      String kind =
          switch (tags[i]) {
            case FIELD_REF -> "Fieldref";
            case METHOD_REF -> "Methodref";
            case INTERFACE_METHOD_REF -> "InterfaceMethodref";
            default -> null;
          };
      if (kind != null) {
        int nameAndType = second[i];
        references.add(
            new MemberReference(
                kind, utf8[first[first[i]]], utf8[first[nameAndType]], utf8[second[nameAndType]]));
      }
    }
    return references;
  }

  /**
   * Resolves the reference against the classes {@code loader} sees, with public access.
   *
   * @throws ReflectiveOperationException if the owner or the member is missing, or the owner is an
   *     interface where the reference expects a class or the other way round
   */
  void resolve(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> type = Class.forName(owner.replace('/', '.'), false, loader);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    if (kind.equals("Fieldref")) {
      Class<?> fieldType =
          MethodType.fromMethodDescriptorString("()" + descriptor, loader).returnType();
      try {
        lookup.findStaticGetter(type, name, fieldType);
      } catch (NoSuchFieldException notStatic) {
        lookup.findGetter(type, name, fieldType);
      }
      return;
    }
    if (type.isInterface() != kind.equals("InterfaceMethodref")) {
      throw new IncompatibleClassChangeError(
          this + ": " + type + " is not what the reference expects");
    }
    MethodType methodType = MethodType.fromMethodDescriptorString(descriptor, loader);
    if (name.equals("<init>")) {
      lookup.findConstructor(type, methodType);
      return;
    }
    try {
      lookup.findVirtual(type, name, methodType);
    } catch (NoSuchMethodException | IllegalAccessException notVirtual) {
      lookup.findStatic(type, name, methodType);
    }
  }

  @Override
  public String toString() {
    return kind + " " + owner + "." + name + ":" + descriptor;
  }
}
