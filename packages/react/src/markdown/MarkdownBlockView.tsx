import { memo, useContext } from 'react';
import type { ReactNode } from 'react';
import type { Token, Tokens } from 'marked';
import { CodeBlock } from '../components/CodeBlock.js';
import { Caret } from './Caret.js';
import { decodeEntities } from './decodeEntities.js';
import { isExternalUrl } from './isExternalUrl.js';
import { MarkdownPolicyContext } from './MarkdownPolicyContext.js';
import type { PiecedParagraph } from './OpenParagraph.js';
import type { MarkdownContext } from './MarkdownPolicyContext.js';
import { safeUrl } from './safeUrl.js';

/** Props of a rendered block. */
interface BlockProps {
  token: Token;
  /** This block is still being written (the last block of a streaming message): it ends with the caret. */
  live: boolean;
}

/** Renders one top-level block. Memoised on its token: a settled block never renders again. */
export const MarkdownBlockView = memo(function MarkdownBlockView({ token, live }: BlockProps) {
  const policy = useContext(MarkdownPolicyContext);
  return renderBlock(token, { policy, caret: live, live });
});

interface Context {
  policy: MarkdownContext;
  /** The caret goes at the end of this block (in nested blocks, only the last child keeps it). */
  caret: boolean;
  live: boolean;
}

function renderBlock(token: Token, context: Context, key?: number): ReactNode {
  const caret = context.caret ? <Caret /> : null;
  switch (token.type) {
    case 'paragraph': {
      // A long paragraph still streaming comes in pieces: each renders once, the rest on each update.
      const { pieces = [], rest, tokens } = token as Partial<PiecedParagraph> & Tokens.Paragraph;
      return (
        <p key={key}>
          {pieces.map((piece, index) => (
            <MarkdownBlockView key={index} token={piece} live={false} />
          ))}
          {renderInline(rest ?? tokens, context.policy)}
          {caret}
        </p>
      );
    }
    case 'heading': {
      const heading = token as Tokens.Heading;
      const Tag = `h${Math.min(6, Math.max(1, heading.depth))}` as 'h1';
      return (
        <Tag key={key}>
          {renderInline(heading.tokens, context.policy)}
          {caret}
        </Tag>
      );
    }
    case 'code': {
      const code = token as Tokens.Code;
      const closed = code.codeBlockStyle === 'indented' || /\n[ \t]*(`{3,}|~{3,})[ \t]*$/.test(code.raw.trimEnd());
      const Code = context.policy.plugin?.Code ?? CodeBlock;
      return (
        <Code
          key={key}
          code={code.text}
          language={code.lang ? code.lang.split(/\s/)[0] : undefined}
          partial={context.live && !closed}
          highlight={context.policy.highlight}
          caret={caret}
        />
      );
    }
    case 'blockquote':
      return <blockquote key={key}>{renderBlocks((token as Tokens.Blockquote).tokens, context)}</blockquote>;
    case 'list':
      return renderList(token as Tokens.List, context, key);
    case 'table':
      return renderTable(token as Tokens.Table, context, key);
    case 'hr':
      return <hr key={key} />;
    case 'html':
      // Raw HTML from a model is shown as the text it is, never parsed.
      return (
        <p key={key} className="sluice-raw-html">
          {token.raw.trimEnd()}
          {caret}
        </p>
      );
    case 'text': {
      const text = token as Tokens.Text;
      return (
        <span key={key}>
          {text.tokens === undefined ? decodeEntities(text.text) : renderInline(text.tokens, context.policy)}
          {caret}
        </span>
      );
    }
    case 'space':
    case 'def':
      return null;
    default: {
      const Plugin = context.policy.plugin?.Token;
      if (Plugin) return <Plugin key={key} token={token} caret={caret} />;
      return (
        <p key={key}>
          {token.raw}
          {caret}
        </p>
      );
    }
  }
}

/**
 * Renders child blocks, passing the caret to the last of them. A tight task item's checkbox, the
 * first of its blocks, is left out: the item renders it.
 */
function renderBlocks(tokens: readonly Token[], context: Context): ReactNode[] {
  const blocks = tokens.filter((token) => token.type !== 'space' && token.type !== 'checkbox');
  return blocks.map((token, index) =>
    renderBlock(token, { ...context, caret: context.caret && index === blocks.length - 1 }, index),
  );
}

function renderList(list: Tokens.List, context: Context, key?: number): ReactNode {
  const items = list.items.map((item, index) => {
    const content = renderBlocks(item.tokens, { ...context, caret: context.caret && index === list.items.length - 1 });
    return (
      <li key={index} className={item.task ? 'sluice-task' : undefined}>
        {item.task ? <input type="checkbox" checked={item.checked === true} disabled readOnly /> : null}
        {content}
      </li>
    );
  });
  if (list.ordered) {
    const start = Number(list.start);
    return (
      <ol key={key} start={Number.isFinite(start) && start !== 1 ? start : undefined}>
        {items}
      </ol>
    );
  }
  return <ul key={key}>{items}</ul>;
}

function renderTable(table: Tokens.Table, context: Context, key?: number): ReactNode {
  const cells = (row: Tokens.TableCell[], Cell: 'th' | 'td') =>
    row.map((cell, index) => (
      <Cell key={index} style={cell.align ? { textAlign: cell.align } : undefined}>
        {renderInline(cell.tokens, context.policy)}
      </Cell>
    ));
  return (
    <div key={key} className="sluice-table">
      <table>
        <thead>
          <tr>{cells(table.header, 'th')}</tr>
        </thead>
        {table.rows.length > 0 ? (
          <tbody>
            {table.rows.map((row, index) => (
              <tr key={index}>{cells(row, 'td')}</tr>
            ))}
          </tbody>
        ) : null}
      </table>
      {context.caret ? <Caret /> : null}
    </div>
  );
}

/** Renders inline tokens to React elements: text stays text, links and images pass the policy. */
function renderInline(tokens: readonly Token[] | undefined, policy: MarkdownContext): ReactNode {
  return tokens?.map((token, index) => renderInlineToken(token, policy, index));
}

function renderInlineToken(token: Token, policy: MarkdownContext, key: number): ReactNode {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      if (text.tokens?.length) return <span key={key}>{renderInline(text.tokens, policy)}</span>;
      return decodeEntities(text.text);
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    // A loose task item's checkbox comes inside its first paragraph: the item renders it.
    case 'checkbox':
      return null;
    case 'strong':
    case 'em':
    case 'del': {
      // The token's type is its element's name.
      const Tag = token.type as 'em';
      return <Tag key={key}>{renderInline((token as Tokens.Em).tokens, policy)}</Tag>;
    }
    case 'codespan':
      return <code key={key}>{decodeEntities((token as Tokens.Codespan).text)}</code>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const link = token as Tokens.Link;
      const href = safeUrl(link.href);
      const children = renderInline(link.tokens, policy);
      if (href === undefined) return <span key={key}>{children}</span>;
      const external = isExternalUrl(href);
      return (
        <a
          key={key}
          href={href}
          title={link.title ?? undefined}
          {...(external ? { target: '_blank', rel: 'noopener noreferrer nofollow' } : {})}
        >
          {children}
        </a>
      );
    }
    case 'image': {
      const image = token as Tokens.Image;
      const src = safeUrl(image.href);
      const alt = decodeEntities(image.text);
      if (src === undefined) return <span key={key}>{alt}</span>;
      // By default, only images of the page's own origin load.
      if (policy.allowImage ? policy.allowImage(src) : !isExternalUrl(src)) {
        return <img key={key} src={src} alt={alt} title={image.title ?? undefined} loading="lazy" />;
      }
      // Not loaded: a link the reader may follow, which the model cannot make the browser request.
      return (
        <a key={key} className="sluice-image-link" href={src} target="_blank" rel="noopener noreferrer nofollow">
          {alt === '' ? src : alt}
        </a>
      );
    }
    default: {
      // A plugin's own token goes to the plugins; inline HTML, and anything else this renderer
      // does not know, shows as the text it is.
      const Plugin = policy.plugin?.Token;
      return Plugin ? <Plugin key={key} token={token} caret={null} /> : token.raw;
    }
  }
}
