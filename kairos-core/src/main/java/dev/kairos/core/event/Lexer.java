package dev.kairos.core.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits a filter expression into tokens. */
final class Lexer {
  enum Kind {
    STRING,
    NUMBER,
    NAME,
    OPERATOR,
    WORD_OPERATOR,
    PUNCT,
    END
  }

  record Token(Kind kind, String text, Object value, int position) {
    boolean is(String s) {
      return (kind == Kind.PUNCT || kind == Kind.OPERATOR || kind == Kind.NAME) && text.equals(s);
    }

    String describe() {
      return kind == Kind.END ? "end of the expression" : "'" + text + "'";
    }
  }

  private static final Set<String> WORDS = Set.of("in", "contains", "startsWith", "endsWith");

  private Lexer() {}

  static List<Token> tokens(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"' || c == '\'') {
        StringBuilder text = new StringBuilder();
        int start = i++;
        while (i < s.length() && s.charAt(i) != c) {
          if (s.charAt(i) == '\\' && i + 1 < s.length()) {
            i++;
          }
          text.append(s.charAt(i++));
        }
        if (i >= s.length()) {
          throw new FilterException("unterminated text", start);
        }
        i++;
        out.add(new Token(Kind.STRING, s.substring(start, i), text.toString(), start));
      } else if (Character.isDigit(c)
          || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        int start = i++;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        String text = s.substring(start, i);
        try {
          out.add(new Token(Kind.NUMBER, text, Double.parseDouble(text), start));
        } catch (NumberFormatException e) {
          throw new FilterException("not a number: " + text, start);
        }
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < s.length()
            && (Character.isLetterOrDigit(s.charAt(i))
                || s.charAt(i) == '_'
                || s.charAt(i) == '-')) {
          i++;
        }
        String word = s.substring(start, i);
        out.add(
            new Token(WORDS.contains(word) ? Kind.WORD_OPERATOR : Kind.NAME, word, null, start));
      } else {
        String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
        if (Set.of("==", "!=", "<=", ">=", "&&", "||").contains(two)) {
          Kind kind = two.equals("&&") || two.equals("||") ? Kind.PUNCT : Kind.OPERATOR;
          out.add(new Token(kind, two, null, i));
          i += 2;
        } else if (c == '<' || c == '>') {
          out.add(new Token(Kind.OPERATOR, String.valueOf(c), null, i++));
        } else if ("()[].,!".indexOf(c) >= 0) {
          out.add(new Token(Kind.PUNCT, String.valueOf(c), null, i++));
        } else {
          throw new FilterException("unexpected character '" + c + "'", i);
        }
      }
    }
    out.add(new Token(Kind.END, "", null, s.length()));
    return out;
  }
}
